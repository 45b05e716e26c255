using Batou.Engine.Api;

namespace Batou.Web.Live.Stored;

/// <summary>Reads a finished deployment's events with <c>from</c> ≤ seq ≤ <c>to</c> in seq order (without command output when <c>output</c> is false).</summary>
public delegate Task<IReadOnlyList<(int Seq, DeploymentEvent Event)>> StoredRangeReader(int from, int to, bool output, CancellationToken ct);

/// <summary>
/// The part of a finished deployment's log that stays in the database: which seqs there are (every event is one log
/// line), in the two orders a reader can page through without materialising the whole log — every line, and every
/// line but command output (the default view: output stays folded away) — and how to read a seq range of them.
/// Positions in a view are indexes into <see cref="Seqs"/>; rows are read by seq range on the
/// <c>(DeploymentId, Seq)</c> index, never with OFFSET.
/// </summary>
public sealed class StoredLog(int[] all, int[] plain, StoredRangeReader read)
{
    /// <summary>The seq of every line, ascending.</summary>
    public IReadOnlyList<int> All => all;

    /// <summary>The seqs of the lines that are not command output, ascending.</summary>
    public IReadOnlyList<int> Plain => plain;

    public IReadOnlyList<int> Seqs(bool output) => output ? all : plain;

    /// <summary>True when a view with this filter pages through the database; any other filter needs every row in memory.</summary>
    public static bool Serves(LogFilter f) =>
        f.Host is null && f.Component is null && f.MinLevel == LogLevel.Detail && string.IsNullOrEmpty(f.Search);

    public Task<IReadOnlyList<(int Seq, DeploymentEvent Event)>> ReadAsync(int from, int to, bool output, CancellationToken ct) =>
        read(from, to, output, ct);

    /// <summary>The seqs of <paramref name="all"/> that are not in <paramref name="output"/> (both ascending).</summary>
    public static int[] Without(int[] all, int[] output)
    {
        if (output.Length == 0) return all;
        var result = new int[all.Length - output.Length];
        int o = 0, n = 0;
        foreach (var seq in all)
        {
            while (o < output.Length && output[o] < seq) o++;
            if (o < output.Length && output[o] == seq) continue;
            if (n < result.Length) result[n++] = seq;
        }
        return n == result.Length ? result : result[..n];
    }
}
