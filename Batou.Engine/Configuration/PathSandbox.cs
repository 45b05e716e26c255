namespace Batou.Engine.Configuration;

/// <summary>
/// The <c>[vfs]</c> section: where absolute paths of components really go. <c>Developer</c> moves
/// every absolute path outside the repository's <c>work/</c> to <c>work/_/&lt;path&gt;</c>;
/// <c>Map</c> rewrites the longest matching <c>/prefix = /replacement</c> (whole path segments).
/// </summary>
internal sealed record PathSandbox(string Kind, IReadOnlyList<(string Prefix, string Replacement)> Prefixes)
{
    public const string Developer = "Developer";
    public const string Map = "Map";

    /// <summary>The real location of an absolute, normalised <paramref name="path"/>.</summary>
    public string Apply(string path, string workBase)
    {
        if (Kind == Developer)
            return Under(path, workBase) ? path : Path.Join(workBase, "_", path);
        foreach (var (prefix, replacement) in Prefixes)   // longest first
            if (Under(path, prefix))
                return Path.GetFullPath(replacement + path[prefix.Length..]);
        return path;
    }

    private static bool Under(string path, string prefix) =>
        prefix == "/" || path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal);
}
