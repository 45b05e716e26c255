using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Batou.Engine.Remote;

/// <summary>One entry of a local tree as transfers see it: a file (mode, SHA-256), a directory (mode) or a link (target).</summary>
internal sealed record LocalTreeEntry(string Path, char Kind, int Mode, string Content);

/// <summary>
/// Walks a local tree the way transfers select it: <c>include</c> gets relative paths with '/', directories
/// with a trailing '/' (a refused directory is not entered); links are not followed. Files are hashed.
/// Used by the builtin client's <see cref="TreeSync"/> and by <see cref="TransferFingerprint"/>: one
/// deployment walks the same tree for the fingerprint and for every host's sync, so a file's hash is
/// remembered for as long as its size and modification time stay the same (one entry per path).
/// </summary>
internal static class LocalTree
{
    public static IEnumerable<LocalTreeEntry> Walk(string root, Func<string, bool> include)
    {
        if (!Directory.Exists(root)) yield break;
        var pending = new Stack<string>([""]);
        while (pending.Count > 0)
        {
            var relativeDir = pending.Pop();
            foreach (var info in new DirectoryInfo(Path.Combine(root, relativeDir)).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false }))
            {
                var relative = relativeDir + info.Name;
                if (info.LinkTarget is { } link)
                {
                    if (include(relative)) yield return new LocalTreeEntry(relative, 'l', 0, link);
                }
                else if (info is DirectoryInfo)
                {
                    if (!include(relative + "/")) continue;
                    yield return new LocalTreeEntry(relative, 'd', (int)info.UnixFileMode, "");
                    pending.Push(relative + "/");
                }
                else if (include(relative))
                {
                    yield return new LocalTreeEntry(relative, 'f', (int)info.UnixFileMode, HashOf((FileInfo)info));
                }
            }
        }
    }

    private static readonly ConcurrentDictionary<string, (long Length, long Ticks, string Hash)> s_hashes = new(StringComparer.Ordinal);

    private static string HashOf(FileInfo file)
    {
        var (length, ticks) = (file.Length, file.LastWriteTimeUtc.Ticks);
        if (s_hashes.TryGetValue(file.FullName, out var known) && known.Length == length && known.Ticks == ticks) return known.Hash;
        var hash = HashFile(file.FullName);
        s_hashes[file.FullName] = (length, ticks, hash);
        return hash;
    }

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
