using Batou.Web.Live;
using Batou.Web.Live.Stored;

namespace Batou.Web.Components.LiveLog;

/// <summary>
/// One reader's view of a shared <see cref="DeploymentLog"/>: the filter and the rows it matches, kept up to date
/// incrementally (only rows appended since the last <see cref="Refresh"/> are examined). A finished log that holds only
/// its tail (<see cref="DeploymentLog.Stored"/>) is paged from the database while the filter needs no more than its
/// lines with or without command output (<see cref="StoredLog.Serves"/>). Used on the circuit's thread only.
/// </summary>
public sealed class LogView(DeploymentLog log, LogFilter filter)
{
    private readonly List<int> _indexes = [];
    private int _examined;

    public DeploymentLog Log { get; } = log;

    public LogFilter Filter { get; private set; } = filter;

    /// <summary>How many rows the filter lets through, as of the last <see cref="Refresh"/>.</summary>
    public int Shown { get; private set; }

    public void SetFilter(LogFilter filter)
    {
        Filter = filter;
        _indexes.Clear();
        _examined = 0;
        Refresh();
    }

    /// <summary>Examines the rows appended since the last call; returns how many rows are shown.</summary>
    public int Refresh()
    {
        if (Paged() is { } stored) return Shown = stored.Seqs(Filter.Output).Count;
        if (Filter.IsEmpty) return Shown = Log.Count;
        _examined = Log.FilterInto(Filter, _indexes, _examined);
        return Shown = _indexes.Count;
    }

    /// <summary>Shown rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> (fewer at the end).</summary>
    public IReadOnlyList<LogRow> Rows(int start, int count)
    {
        count = Math.Max(0, Math.Min(count, Shown - start));
        if (Paged() is { } stored) return Log.Held(stored.Seqs(Filter.Output), start, count);
        return Filter.IsEmpty ? Log.Slice(start, count) : Log.Pick(_indexes, start, count);
    }

    /// <summary>Shown rows <paramref name="start"/> … like <see cref="Rows"/>, reading those the log does not hold from the database.</summary>
    public async ValueTask<IReadOnlyList<LogRow>> RowsAsync(int start, int count, CancellationToken ct)
    {
        count = Math.Max(0, Math.Min(count, Shown - start));
        if (Paged() is { } stored) return await Log.ReadAsync(stored, Filter.Output, start, count, ct);
        return Rows(start, count);
    }

    /// <summary>Needs this filter every row in memory (a log opened at its tail reads them first: <see cref="DeploymentLog.EnsureAllAsync"/>)?</summary>
    public static bool NeedsAllRows(LogFilter filter) => !StoredLog.Serves(filter);

    private StoredLog? Paged() => Log.Stored is { } stored && StoredLog.Serves(Filter) ? stored : null;

    /// <summary>The last <paramref name="count"/> shown rows.</summary>
    public IReadOnlyList<LogRow> Tail(int count) => Rows(Math.Max(0, Shown - count), count);
}
