namespace Batou.Lib;

/// <summary>Ensures a regular file exists (replacing a directory or symlink in its place); content untouched.</summary>
public class Presence(string path) : FileComponent(path)
{
    protected override void Verify()
    {
        if (IsSymlink || !System.IO.File.Exists(Path))
            throw new UpdateNeeded($"{OriginalPath} does not exist");
    }

    protected override void Update()
    {
        EnsureParent();
        EnsurePathNonexistent();
        using (System.IO.File.Create(Path)) { }
    }
}
