using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Batou.Engine.Util;

/// <summary>
/// Whether a file holds exactly some bytes, at the cost a no-op can afford: one open, the size first,
/// then the content in pooled chunks; the file's bytes are only read into an array of their own when
/// they differ (for the diff).
/// </summary>
internal static class FileCompare
{
    private const int Chunk = 64 * 1024;

    /// <summary>
    /// Null when <paramref name="path"/> holds exactly <paramref name="wanted"/>; otherwise its bytes — empty when
    /// it is missing or a directory (as <c>File.Exists(path) ? File.ReadAllBytes(path) : []</c>, which it replaces).
    /// </summary>
    public static byte[]? ReadIfDifferent(string path, ReadOnlySpan<byte> wanted)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return wanted.IsEmpty ? null : [];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // a directory, no permission, a path through a file: exactly what the plain way does (and throws)
            return Plain(path, wanted);
        }
        using (handle)
        {
            if (RandomAccess.GetLength(handle) == wanted.Length && Same(handle, wanted)) return null;
        }
        // differs (or a file whose size the system does not know, as in /proc): the whole content, for the diff
        return Plain(path, wanted);
    }

    private static byte[]? Plain(string path, ReadOnlySpan<byte> wanted)
    {
        var current = File.Exists(path) ? File.ReadAllBytes(path) : [];
        return current.AsSpan().SequenceEqual(wanted) ? null : current;
    }

    private static bool Same(SafeFileHandle handle, ReadOnlySpan<byte> wanted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(Chunk, wanted.Length + 1));
        try
        {
            long offset = 0;
            while (true)
            {
                var read = RandomAccess.Read(handle, buffer, offset);
                if (read == 0) return offset == wanted.Length;
                if (offset + read > wanted.Length || !buffer.AsSpan(0, read).SequenceEqual(wanted.Slice((int)offset, read))) return false;
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
