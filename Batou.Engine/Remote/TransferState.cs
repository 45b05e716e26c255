using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Batou.Engine.Remote;

/// <summary>
/// What a transfer put on a target: <see cref="Hash"/> is the controller's tree hash of everything
/// it sends (<see cref="TransferFingerprint"/>); <see cref="Root"/> (absolute, on the host) with
/// everything below it except <see cref="Skip"/> (relative paths the transfer never touches:
/// <c>.git</c>, <c>work</c>, the lock), plus <see cref="Extra"/> (relative paths below a skipped
/// one that the transfer does write: the compiled components, the component packages) is what the
/// target's manifest covers.
/// </summary>
internal sealed record TransferCheck(string Hash, string Root, IReadOnlyList<string> Skip, IReadOnlyList<string> Extra);

/// <summary>
/// The target's memory of the last transfer: a file in the deploying account's
/// <c>~/.batou/transfers/</c> (one per target directory) holding the controller's tree hash and a
/// digest of the manifest the agent took right after that transfer (every file's path, kind,
/// mode, size and modification time, no contents). The hash is trusted only while a fresh
/// manifest gives the same digest: a file removed, added, edited (new size or time), re-moded or
/// re-linked on the host makes the next deployment transfer again. The state is removed as soon as
/// a check fails, so a transfer that breaks off half-way is never taken for a complete one.
/// </summary>
internal static class TransferState
{
    /// <summary>True when the target holds what <paramref name="check"/> describes, untouched since.</summary>
    public static bool IsCurrent(TransferCheck check)
    {
        var file = StateFile(check.Root);
        try
        {
            if (File.Exists(file) && File.ReadAllText(file).Split('\n') is [var hash, var digest, ..]
                && hash == check.Hash && Digest(check) is { } now && now == digest)
                return true;
            File.Delete(file);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>Remembers a completed transfer (written atomically; a failure only means the next deployment transfers again).</summary>
    public static void Record(TransferCheck check)
    {
        var file = StateFile(check.Root);
        try
        {
            if (Digest(check) is not { } digest) { File.Delete(file); return; }
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, check.Hash + "\n" + digest + "\n");
            File.Move(temporary, file, overwrite: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public static string StateFile(string root)
    {
        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root).TrimEnd('/'))))[..32];
        return Path.Combine(home, ".batou", "transfers", key);
    }

    /// <summary>The manifest's digest; null when the tree cannot be read completely (then it is never trusted).</summary>
    public static string? Digest(TransferCheck check)
    {
        var lines = new List<string>();
        var skip = check.Skip.Select(s => s.Trim('/')).ToHashSet(StringComparer.Ordinal);
        try
        {
            if (!Directory.Exists(check.Root)) return null;
            Walk(check.Root, "", skip, lines);
            foreach (var extra in check.Extra.Select(e => e.Trim('/')).Order(StringComparer.Ordinal))
            {
                var path = Path.Combine(check.Root, extra);
                if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null) Walk(path, extra + "/", [], lines);
                else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) lines.Add(Line(new FileInfo(path), extra));
                else lines.Add(string.Create(CultureInfo.InvariantCulture, $"m\t{extra.Length}:{extra}"));
            }
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        lines.Sort(StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines) sha.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void Walk(string dir, string relative, HashSet<string> skip, List<string> lines)
    {
        foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false }))
        {
            var path = relative + info.Name;
            if (skip.Contains(path)) continue;
            if (info is DirectoryInfo directory && info.LinkTarget is null)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"d\t{(int)info.UnixFileMode}\t{path.Length}:{path}"));
                Walk(directory.FullName, path + "/", skip, lines);
            }
            else
            {
                lines.Add(Line(info, path));
            }
        }
    }

    private static string Line(FileSystemInfo info, string path) =>
        info.LinkTarget is { } link
            ? string.Create(CultureInfo.InvariantCulture, $"l\t{path.Length}:{path}\t{link.Length}:{link}")
            : string.Create(CultureInfo.InvariantCulture, $"f\t{path.Length}:{path}\t{(int)info.UnixFileMode}\t{((FileInfo)info).Length}\t{info.LastWriteTimeUtc.Ticks}");
}
