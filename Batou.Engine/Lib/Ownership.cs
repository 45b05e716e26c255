namespace Batou.Lib;

/// <summary>
/// Base of <see cref="Owner"/> and <see cref="Group"/>: one id of a path (the path itself:
/// symlinks are not followed), resolved from <see cref="Name"/> when verifying, so the user or
/// group may be created by an earlier component of the same deployment.
/// </summary>
public abstract class Ownership(string path) : FileComponent(path)
{
    /// <summary>A name, or a numeric id.</summary>
    public string Name { get; set; } = "";

    private uint? _id;

    /// <summary>"user" or "group", for messages.</summary>
    protected abstract string Kind { get; }

    /// <summary>"uid" or "gid", for messages.</summary>
    protected abstract string IdKind { get; }

    protected abstract uint? Resolve(string name);

    protected abstract uint CurrentId(string path);

    protected abstract void Change(string path, uint id);

    protected override void Configure()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ConfigurationError($"{Breadcrumb} needs a Name (a {Kind} name or {IdKind})");
    }

    protected override void Verify()
    {
        _id = Resolve(Name);
        if (_id is null)
        {
            if (Predicting) throw new UpdateNeeded($"{Kind} '{Name}' does not exist yet");
            throw new ConfigurationError($"{Breadcrumb}: unknown {Kind} '{Name}'");
        }
        if (!System.IO.Path.Exists(Path) && !IsSymlink)
        {
            if (Predicting) throw new UpdateNeeded($"{OriginalPath} does not exist yet");
            throw new FileNotFoundException($"Cannot set the {(Kind == "user" ? "owner" : "group")} of {Path}: it does not exist", Path);
        }
        var current = CurrentId(Path);
        if (current != _id)
            throw new UpdateNeeded($"{(Kind == "user" ? "owner" : "group")} is {IdKind} {current}, wanted {Name} ({IdKind} {_id})");
    }

    protected override void Update() => Change(Path, _id!.Value);
}
