namespace Batou.Lib;

/// <summary>Copies a source directory's files into a directory. Placeholder until the helper implements it.</summary>
public class SyncDirectory(string path) : FileComponent(path)
{
    public string? Source { get; set; }
    public IReadOnlyList<string> Exclude { get; set; } = [];
}
