namespace Batou.Lib.Internal;

/// <summary>
/// Member names made safe: leading components stripped, absolute names and <c>..</c> rejected,
/// and nothing written through a symbolic link or outside the target directory.
/// </summary>
internal static class ArchivePaths
{
    /// <summary>The member name without its first <paramref name="strip"/> components; null when nothing is left.</summary>
    public static string? Strip(string name, int strip)
    {
        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length > 1 && normalized[1] == ':'))
            throw new InvalidDataException($"Archive member \"{name}\" has an absolute path; refusing to extract it.");
        var parts = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw new InvalidDataException($"Archive member \"{name}\" contains \"..\"; refusing to extract outside the target.");
        return parts.Count <= strip ? null : string.Join('/', parts.Skip(strip));
    }

    /// <summary>The absolute path of a (stripped) member under <paramref name="target"/>; throws when it escapes.</summary>
    public static string Resolve(string target, string relative)
    {
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(target));
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
        if (full != root && !full.StartsWith(root + "/", StringComparison.Ordinal))
            throw new InvalidDataException($"Archive member \"{relative}\" would be extracted outside {root}.");
        return full;
    }

    /// <summary>Throws when a directory between <paramref name="target"/> and <paramref name="full"/> is a symbolic link.</summary>
    public static void EnsureNoLinkOnPath(string target, string full, string name)
    {
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(target));
        var current = root;
        var parts = System.IO.Path.GetRelativePath(root, full).Split('/');
        foreach (var part in parts.SkipLast(1))
        {
            current = System.IO.Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
                throw new InvalidDataException($"Archive member \"{name}\" would be written through the symbolic link {current}; refusing.");
        }
    }

    /// <summary>Throws when a symbolic link member would point outside <paramref name="target"/>.</summary>
    public static void EnsureLinkInside(string target, string linkPath, string linkName, string name)
    {
        if (linkName.StartsWith('/'))
            throw new InvalidDataException($"Archive member \"{name}\" is a symbolic link to the absolute path {linkName}; refusing.");
        var resolved = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(linkPath)!, linkName);
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(target));
        var full = System.IO.Path.GetFullPath(resolved);
        if (full != root && !full.StartsWith(root + "/", StringComparison.Ordinal))
            throw new InvalidDataException($"Archive member \"{name}\" is a symbolic link pointing outside the target ({linkName}); refusing.");
    }

    /// <summary>Removes a file or link (or, for a file member, a directory) standing where a member goes.</summary>
    public static void RemoveExisting(string path, bool directoryToo)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
            info.Delete();
        else if (directoryToo && System.IO.Directory.Exists(path))
            System.IO.Directory.Delete(path, recursive: true);
    }
}
