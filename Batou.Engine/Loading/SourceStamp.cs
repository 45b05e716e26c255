using System.Globalization;
using System.Text;

namespace Batou.Engine.Loading;

/// <summary>
/// The content hash of the component sources without reading them, when nothing changed since it was computed:
/// <c>work/.batou/components/&lt;hash&gt;.stamp</c> records the engine build, the packages' hash and each source's
/// relative path, size and modification time (100 ns). The same build, packages and list of files with the same sizes
/// and times give the recorded hash; anything else (a file added, removed, renamed, written, touched) and the sources
/// are read and hashed as before. Hashing needs no stamp: it is only a shortcut (docs/decisions.md, "Engine performance").
/// <para>
/// Honest against edits that keep size and time only as far as file times are: a file written twice within the file
/// system's timestamp granularity could keep both. So, like git's "racily clean" rule, no stamp is written while any
/// source changed less than <see cref="Settle"/> ago; the next run hashes again and writes it.
/// </para>
/// </summary>
internal static class SourceStamp
{
    private const string Extension = ".stamp";
    private const string Version = "batou-source-stamp 1";

    /// <summary>How old every source must be before a stamp is written.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>The hash a stamp in <paramref name="cacheDir"/> recorded for exactly this state of the sources, or null.</summary>
    public static string? Find(string cacheDir, string baseDir, IReadOnlyList<string> files, string engine, string? packages)
    {
        string[] stamps;
        try { stamps = Directory.Exists(cacheDir) ? Directory.GetFiles(cacheDir, "*" + Extension) : []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        if (stamps.Length == 0) return null;
        string expected;
        try { expected = Describe(baseDir, files, engine, packages, out _); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        foreach (var stamp in stamps)
        {
            try
            {
                if (File.ReadAllText(stamp) == expected) return Path.GetFileNameWithoutExtension(stamp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // unreadable: hash instead
            }
        }
        return null;
    }

    /// <summary>Records <paramref name="hash"/> for this state of the sources (unless one changed too recently); best effort.</summary>
    public static void Write(string cacheDir, string hash, string baseDir, IReadOnlyList<string> files, string engine, string? packages)
    {
        try
        {
            var text = Describe(baseDir, files, engine, packages, out var newest);
            if (DateTime.UtcNow - newest < Settle) return;
            Directory.CreateDirectory(cacheDir);
            Util.AtomicFile.Write(Path.Combine(cacheDir, hash + Extension), Encoding.UTF8.GetBytes(text));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no stamp: the next run hashes the sources
        }
    }

    private static string Describe(string baseDir, IReadOnlyList<string> files, string engine, string? packages, out DateTime newest)
    {
        newest = DateTime.MinValue;
        var text = new StringBuilder(Version).Append('\n').Append(engine).Append('\n').Append(packages ?? "-").Append('\n');
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            var written = info.LastWriteTimeUtc;
            if (written > newest) newest = written;
            text.Append(Path.GetRelativePath(baseDir, file)).Append('\t')
                .Append(info.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(written.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
