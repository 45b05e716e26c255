using Batou.Lib.Native;

namespace Batou.Lib;

/// <summary>
/// Ensures the user owning a path (the path itself: symlinks are not followed). <see cref="Name"/>
/// is a user name or a numeric uid; it is resolved when verifying, so the user may be created by
/// an earlier component of the same deployment. Only the owner changes; the group is kept.
/// </summary>
public class Owner(string path) : FileComponent(path)
{
    /// <summary>A user name, or a numeric uid.</summary>
    public string Name { get; set; } = "";

    private uint? _uid;

    protected override void Configure()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ConfigurationError($"{Breadcrumb} needs a Name (a user name or uid)");
    }

    protected override void Verify()
    {
        _uid = Posix.UserId(Name);
        if (_uid is null)
        {
            if (Predicting) throw new UpdateNeeded($"user '{Name}' does not exist yet");
            throw new ConfigurationError($"{Breadcrumb}: unknown user '{Name}'");
        }
        if (!PathExists())
        {
            if (Predicting) throw new UpdateNeeded($"{OriginalPath} does not exist yet");
            throw new FileNotFoundException($"Cannot set the owner of {Path}: it does not exist", Path);
        }
        var current = Posix.OwnerOf(Path).Uid;
        if (current != _uid)
            throw new UpdateNeeded($"owner is uid {current}, wanted {Name} (uid {_uid})");
    }

    protected override void Update() => Posix.ChangeOwner(Path, _uid, gid: null);

    private bool PathExists() => System.IO.Path.Exists(Path) || IsSymlink;
}
