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

    /// <summary>
    /// The state of the sources a stamp records, read once per load: before the sources are hashed, so that a source
    /// edited while they are hashed or compiled is told apart next time. Null when a source cannot be examined.
    /// </summary>
    public static SourceState? Describe(string baseDir, IReadOnlyList<string> files, string engine, string? packages)
    {
        try
        {
            var newest = DateTime.MinValue;
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
            return new SourceState(text.ToString(), newest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // no stamp: the sources are hashed
        }
    }

    /// <summary>The hash a stamp in <paramref name="cacheDir"/> recorded for exactly this state of the sources, or null.</summary>
    public static string? Find(string cacheDir, SourceState state)
    {
        string[] stamps;
        try { stamps = Directory.Exists(cacheDir) ? Directory.GetFiles(cacheDir, "*" + Extension) : []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        foreach (var stamp in stamps)
        {
            try
            {
                if (File.ReadAllText(stamp) == state.Text) return Path.GetFileNameWithoutExtension(stamp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // unreadable: hash instead
            }
        }
        return null;
    }

    /// <summary>Records <paramref name="hash"/> for this state of the sources (unless one changed too recently); best effort.</summary>
    public static void Write(string cacheDir, string hash, SourceState state)
    {
        if (DateTime.UtcNow - state.Newest < Settle) return;
        try
        {
            Directory.CreateDirectory(cacheDir);
            Util.AtomicFile.Write(Path.Combine(cacheDir, hash + Extension), Encoding.UTF8.GetBytes(state.Text));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no stamp: the next run hashes the sources
        }
    }
}

/// <summary>What a stamp records of the sources (<see cref="SourceStamp.Describe"/>), and the newest source's time.</summary>
internal sealed record SourceState(string Text, DateTime Newest);
