namespace Batou.Lib.Internal;

/// <summary>
/// The layout <see cref="DotnetRelease"/> manages: <c>releases/&lt;version&gt;/</c> directories and a
/// <c>current</c> symlink (relative, so the whole tree can move) that is switched with rename(2).
/// </summary>
internal sealed class ReleaseTree(string location)
{
    public string Location { get; } = location;

    public string Releases => System.IO.Path.Combine(Location, "releases");

    public string Current => System.IO.Path.Combine(Location, "current");

    public string PathOf(string version) => System.IO.Path.Combine(Releases, version);

    public static string LinkOf(string version) => "releases/" + version;

    /// <summary>The version <c>current</c> points at, or null when it is missing or not one of ours.</summary>
    public string? CurrentVersion()
    {
        var target = new FileInfo(Current).LinkTarget;
        if (target is null) return null;
        var full = System.IO.Path.GetFullPath(target, Location);
        return System.IO.Path.GetDirectoryName(full) == Releases ? System.IO.Path.GetFileName(full) : null;
    }

    public string? CurrentLink() => new FileInfo(Current).LinkTarget;

    /// <summary>Points <c>current</c> at the version in one rename: readers see the old or the new release, never none.</summary>
    public void Switch(string version)
    {
        var temp = System.IO.Path.Combine(Location, $".current.batou-{Guid.NewGuid():N}");
        System.IO.File.CreateSymbolicLink(temp, LinkOf(version));
        try
        {
            Native.Rename.Atomically(temp, Current);
        }
        finally
        {
            if (new FileInfo(temp).LinkTarget is not null) System.IO.File.Delete(temp);
        }
        System.IO.Directory.SetLastWriteTimeUtc(PathOf(version), DateTime.UtcNow);   // the order releases were used in, for pruning
    }

    /// <summary>A fresh hidden directory next to the releases; renamed into place when complete.</summary>
    public string Staging(string version)
    {
        System.IO.Directory.CreateDirectory(Releases);
        var path = System.IO.Path.Combine(Releases, $".{version}.batou-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes all but the <paramref name="keep"/> most recently used releases; never those in <paramref name="protect"/>. Returns the deleted versions.</summary>
    public IReadOnlyList<string> Prune(int keep, IReadOnlyCollection<string> protect)
    {
        var deleted = new List<string>();
        if (!System.IO.Directory.Exists(Releases)) return deleted;
        var releases = new DirectoryInfo(Releases).EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.'))
            .OrderByDescending(d => d.LastWriteTimeUtc).ThenByDescending(d => d.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var old in releases.Skip(keep).Where(d => !protect.Contains(d.Name)))
        {
            old.Delete(recursive: true);
            deleted.Add(old.Name);
        }
        foreach (var stale in new DirectoryInfo(Releases).EnumerateDirectories(".*.batou-*"))
            stale.Delete(recursive: true);   // left by an interrupted build
        return deleted;
    }
}
