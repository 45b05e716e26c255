using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// Ensures nothing matches a glob <see cref="Pattern"/> (relative to the workdir, or absolute):
/// matching files and symlinks are removed, directories with everything in them. A symlink to a
/// directory is unlinked; its target is kept.
/// </summary>
public class Purge(string pattern) : Component
{
    /// <summary>The glob, e.g. <c>*.pyc</c> or <c>/var/cache/app/*</c>.</summary>
    [NotASetting] public string Pattern { get; } = pattern;

    protected override string? BreadcrumbValue => Pattern;

    protected override void Configure()
    {
        if (string.IsNullOrWhiteSpace(Pattern))
            throw new ConfigurationError("Purge needs a pattern of the paths to remove");
    }

    /// <summary>The paths the pattern matches now.</summary>
    public IReadOnlyList<string> Matches() => PathGlob.Expand(Map(Pattern));

    protected override void Verify()
    {
        var matches = Matches();
        if (matches.Count == 0) return;
        var names = matches.Take(5).Select(m => System.IO.Path.GetRelativePath(Workdir, m));
        var more = matches.Count > 5 ? $" and {matches.Count - 5} more" : "";
        throw new UpdateNeeded($"{matches.Count} {(matches.Count == 1 ? "path matches" : "paths match")}: {string.Join(", ", names)}{more}");
    }

    protected override void Update()
    {
        foreach (var path in Matches())
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || info.Exists)
                info.Delete();
            else if (System.IO.Directory.Exists(path))
                System.IO.Directory.Delete(path, recursive: true);
        }
    }
}
