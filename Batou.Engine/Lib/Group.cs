using Batou.Lib.Native;

namespace Batou.Lib;

/// <summary>
/// Ensures the group owning a path (the path itself: symlinks are not followed). <see cref="Name"/>
/// is a group name or a numeric gid; it is resolved when verifying, so the group may be created by
/// an earlier component of the same deployment. Only the group changes; the owner is kept.
/// </summary>
public class Group(string path) : FileComponent(path)
{
    /// <summary>A group name, or a numeric gid.</summary>
    public string Name { get; set; } = "";

    private uint? _gid;

    protected override void Configure()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ConfigurationError($"{Breadcrumb} needs a Name (a group name or gid)");
    }

    protected override void Verify()
    {
        _gid = Posix.GroupId(Name);
        if (_gid is null)
        {
            if (Predicting) throw new UpdateNeeded($"group '{Name}' does not exist yet");
            throw new ConfigurationError($"{Breadcrumb}: unknown group '{Name}'");
        }
        if (!PathExists())
        {
            if (Predicting) throw new UpdateNeeded($"{OriginalPath} does not exist yet");
            throw new FileNotFoundException($"Cannot set the group of {Path}: it does not exist", Path);
        }
        var current = Posix.OwnerOf(Path).Gid;
        if (current != _gid)
            throw new UpdateNeeded($"group is gid {current}, wanted {Name} (gid {_gid})");
    }

    protected override void Update() => Posix.ChangeOwner(Path, uid: null, _gid);

    private bool PathExists() => System.IO.Path.Exists(Path) || IsSymlink;
}
