namespace Batou.Engine.Util;

/// <summary>Writes files through a temporary file in the same directory and a rename: never half-written.</summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null) => Write(path, content, mode, sync: true);

    /// <summary>
    /// As <see cref="Write(string, ReadOnlySpan{byte}, UnixFileMode?)"/>, but the caller makes the file durable
    /// later (<see cref="DeferredSync"/>), when it returns true; false: it was synced here (not Linux).
    /// </summary>
    public static bool WriteDeferred(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        Write(path, content, mode, sync: !DeferredSync.Supported);
        return DeferredSync.Supported;
    }

    private static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode? mode, bool sync)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.batou-tmp-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: sync);
            }
            var wanted = mode ?? (File.Exists(path) && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(path) : null);
            if (wanted is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, m);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
