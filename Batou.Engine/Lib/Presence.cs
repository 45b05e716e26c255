namespace Batou.Lib;

/// <summary>Ensures a regular file exists (replacing a directory or symlink in its place); content untouched.</summary>
public class Presence(string path) : FileComponent(path)
{
    protected override void Verify()
    {
        // one lstat: a symlink or a directory is not the regular file wanted here
        if (Lstat(Path) is not { } attributes || (attributes & (FileAttributes.ReparsePoint | FileAttributes.Directory)) != 0)
            throw new UpdateNeeded($"{OriginalPath} does not exist");
    }

    protected override void Update()
    {
        EnsureParent();
        EnsurePathNonexistent();
        using (System.IO.File.Create(Path)) { }
    }
}
