namespace Batou.Lib;

/// <summary>Ensures <see cref="FileComponent.Path"/> is a symbolic link pointing at <see cref="Source"/>.</summary>
public class Symlink(string path) : FileComponent(path)
{
    public string Source { get; set; } = "";

    protected override void Configure()
    {
        if (Source.Length == 0) throw new ConfigurationError($"Symlink {OriginalPath} needs a Source to point at");
    }

    private string Target => Map(Source);

    protected override void Verify()
    {
        var link = new FileInfo(Path).LinkTarget;
        if (link != Target)
            throw new UpdateNeeded(link is null ? $"{OriginalPath} is not a symlink" : $"{OriginalPath} points at {link}");
    }

    protected override void Update()
    {
        EnsureParent();
        EnsurePathNonexistent();
        System.IO.File.CreateSymbolicLink(Path, Target);
    }
}
