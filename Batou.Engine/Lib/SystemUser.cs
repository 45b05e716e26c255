using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A local user for a service (<c>useradd</c>/<c>usermod</c>): a system user without a login shell
/// by default, with <see cref="Home"/> (created), <see cref="Shell"/> and primary <see cref="Group"/>
/// (default: a group of the same name).
/// </summary>
public class SystemUser(string name) : Component
{
    [NotASetting] public string Name { get; } = name;

    /// <summary>The home directory; default: <c>/home/&lt;name&gt;</c> (<c>/var/lib/&lt;name&gt;</c> for system users).</summary>
    public string? Home { get; set; }

    public string Shell { get; set; } = "/usr/sbin/nologin";

    /// <summary>The primary group; it must exist (add a <see cref="SystemGroup"/> first). Default: the user's own group.</summary>
    public string? Group { get; set; }

    /// <summary>A system user (uid from the system range).</summary>
    public bool IsSystem { get; set; } = true;

    protected override string? BreadcrumbValue => Name;

    private string HomePath => Home ?? (IsSystem ? $"/var/lib/{Name}" : $"/home/{Name}");

    protected override void Configure() => Accounts.CheckName(Name, "SystemUser");

    protected override void Verify()
    {
        var entry = Accounts.Entry("passwd", Name) ?? throw new UpdateNeeded($"user {Name} does not exist");
        if (entry[5] != HomePath) throw new UpdateNeeded($"user {Name}: home is {entry[5]}, wanted {HomePath}");
        if (entry[6] != Shell) throw new UpdateNeeded($"user {Name}: shell is {entry[6]}, wanted {Shell}");
        if (Group is not null && Accounts.Entry("group", Group) is { } group && group[2] != entry[3])
            throw new UpdateNeeded($"user {Name}: primary group differs, wanted {Group}");
    }

    protected override void Update()
    {
        var exists = Accounts.Entry("passwd", Name) is not null;
        List<string> args = exists ? ["--home", HomePath, "--move-home", "--shell", Shell] : ["--home-dir", HomePath, "--create-home", "--shell", Shell];
        if (!exists && IsSystem) args.Add("--system");
        if (Group is not null) args.AddRange(["--gid", Group]);
        else if (!exists) args.Add("--user-group");
        args.Add(Name);
        Programs.Run(this, exists ? "usermod" : "useradd", args);
    }
}
