namespace Batou.Lib;

/// <summary>Ensures a directory exists; with <see cref="Source"/> its content is synced from there.</summary>
public class Directory(string path) : FileComponent(path)
{
    /// <summary>A directory (relative to the defdir) whose files are copied in.</summary>
    public string? Source { get; set; }

    /// <summary>Glob patterns of files not to copy from <see cref="Source"/>.</summary>
    public IReadOnlyList<string> Exclude { get; set; } = [];

    protected override void Configure()
    {
        if (Source is not null)
            Add(new SyncDirectory(OriginalPath) { Source = Source, Exclude = Exclude, Leading = Leading });
    }

    protected override void Verify()
    {
        if (Lstat(Path) is not { } attributes || attributes.HasFlag(FileAttributes.ReparsePoint) || !attributes.HasFlag(FileAttributes.Directory))
            throw new UpdateNeeded($"{OriginalPath} is not a directory");
    }

    protected override void Update()
    {
        if (!Leading && !System.IO.Directory.Exists(System.IO.Path.GetDirectoryName(Path)))
            throw new DirectoryNotFoundException($"Parent directory of {Path} does not exist (set Leading = true to create it)");
        EnsurePathNonexistent();
        System.IO.Directory.CreateDirectory(Path);
    }
}
