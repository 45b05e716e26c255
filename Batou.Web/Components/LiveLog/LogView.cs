using Batou.Web.Live;

namespace Batou.Web.Components.LiveLog;

/// <summary>
/// One reader's view of a shared <see cref="DeploymentLog"/>: the filter and the rows it matches, kept up to date
/// incrementally (only rows appended since the last <see cref="Refresh"/> are examined). Used on the circuit's thread only.
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
        if (Filter.IsEmpty) return Shown = Log.Count;
        _examined = Log.FilterInto(Filter, _indexes, _examined);
        return Shown = _indexes.Count;
    }

    /// <summary>Shown rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> (fewer at the end).</summary>
    public IReadOnlyList<LogRow> Rows(int start, int count)
    {
        count = Math.Max(0, Math.Min(count, Shown - start));
        return Filter.IsEmpty ? Log.Slice(start, count) : Log.Pick(_indexes, start, count);
    }

    /// <summary>The last <paramref name="count"/> shown rows.</summary>
    public IReadOnlyList<LogRow> Tail(int count) => Rows(Math.Max(0, Shown - count), count);
}
