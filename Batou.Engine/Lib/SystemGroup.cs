using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>A local group (<c>groupadd</c>; a system group unless <see cref="IsSystem"/> is false).</summary>
public class SystemGroup(string name) : Component
{
    [NotASetting] public string Name { get; } = name;

    /// <summary>A system group (gid from the system range).</summary>
    public bool IsSystem { get; set; } = true;

    protected override string? BreadcrumbValue => Name;

    protected override void Configure() => Accounts.CheckName(Name, "SystemGroup");

    protected override void Verify()
    {
        if (Accounts.Entry("group", Name) is null) throw new UpdateNeeded($"group {Name} does not exist");
    }

    protected override void Update() =>
        Programs.Run(this, "groupadd", IsSystem ? ["--system", Name] : [Name]);
}
