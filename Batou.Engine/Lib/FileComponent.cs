namespace Batou.Lib;

/// <summary>Base of components that manage one path. Relative paths are under the workdir.</summary>
public abstract class FileComponent : Component
{
    protected FileComponent(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        OriginalPath = path;
    }

    /// <summary>The path as written in the component.</summary>
    [NotASetting] public string OriginalPath { get; }

    /// <summary>The absolute path (mapped against the workdir).</summary>
    [NotASetting] public string Path => Map(OriginalPath);

    /// <summary>Create missing parent directories.</summary>
    public bool Leading { get; set; }

    protected override string? BreadcrumbValue
    {
        get
        {
            if (RootState is null) return OriginalPath;
            if (Parent is FileComponent) return System.IO.Path.GetFileName(Path);
            var relative = System.IO.Path.GetRelativePath(Environment.BaseDir, Path);
            return relative.StartsWith("..", StringComparison.Ordinal) ? Path : relative;
        }
    }

    public override DateTime? LastUpdated() =>
        System.IO.File.Exists(Path) || System.IO.Directory.Exists(Path) ? System.IO.File.GetLastWriteTimeUtc(Path) : null;

    protected void EnsureParent()
    {
        var parent = System.IO.Path.GetDirectoryName(Path)!;
        if (System.IO.Directory.Exists(parent)) return;
        if (!Leading)
            throw new ConfigurationError($"Directory {parent} does not exist (set Leading = true to create it)");
        System.IO.Directory.CreateDirectory(parent);
    }

    /// <summary>Moves whatever is at <see cref="Path"/> out of the way and deletes it.</summary>
    protected void EnsurePathNonexistent()
    {
        var info = new FileInfo(Path);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
            return;
        }
        if (System.IO.Directory.Exists(Path))
        {
            var trash = Path + ".batou-trash-" + Guid.NewGuid().ToString("N");
            System.IO.Directory.Move(Path, trash);
            System.IO.Directory.Delete(trash, recursive: true);
        }
    }

    // lstat, not readlink: readlink fails (EINVAL) for every regular file a no-op verifies
    protected bool IsSymlink => Lstat(Path) is { } attributes && attributes.HasFlag(FileAttributes.ReparsePoint);

    /// <summary>What is at <paramref name="path"/>, not following a symlink (one lstat for anything else); null when nothing is.</summary>
    protected static FileAttributes? Lstat(string path) =>
        new FileInfo(path).Attributes is var attributes && (int)attributes != -1 ? attributes : null;
}
