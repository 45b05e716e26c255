using Batou.Engine.Api;

namespace Batou.Web.Live;

/// <summary>What a reader of a log wants to see: by host, root component, lowest level and text (case-insensitive).</summary>
public sealed record LogFilter(string? Host = null, string? Component = null, LogLevel MinLevel = LogLevel.Detail, string? Search = null, bool Output = true)
{
    /// <summary>Nothing filtered out: the view can slice the log directly.</summary>
    public bool IsEmpty => Host is null && Component is null && MinLevel == LogLevel.Detail && string.IsNullOrEmpty(Search) && Output;

    public bool Matches(LogRow r) =>
        (Output || !r.Output)
        && (Host is null || r.Host == Host)
        && (Component is null || r.Component == Component)
        && r.Level >= MinLevel
        && (string.IsNullOrEmpty(Search) || r.Text.Contains(Search, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The log of one deployment in memory, shared by every page that shows it: the formatted log lines (append-only)
/// and the few events that carry state (roots, changed components, diffs, the end). A running deployment's log is
/// fed by the live hub; a finished one is read from the database once. Readers take slices under a lock;
/// <see cref="Changed"/> tells subscribers that lines or states were appended.
/// </summary>
public sealed class DeploymentLog
{
    private static readonly HashSet<Type> StateTypes =
    [
        typeof(ModelConfigured), typeof(RootScheduled), typeof(RootFinished), typeof(RootFailed), typeof(RootSkipped),
        typeof(ComponentNeedsUpdate), typeof(ComponentUpdated), typeof(FileDiff), typeof(DeploymentFinished), typeof(CancelRequested),
    ];

    private readonly Lock _gate = new();
    private readonly List<LogRow> _rows = [];
    private readonly List<DeploymentEvent> _states = [];
    private readonly SortedSet<string> _hosts = new(StringComparer.Ordinal), _components = new(StringComparer.Ordinal);
    private (IReadOnlyList<string> Hosts, IReadOnlyList<string> Components)? _origins;
    private int _lastSeq, _originsVersion;

    public DeploymentLog(long id) => Id = id;

    public long Id { get; }

    /// <summary>True while events still arrive from a deployment running in this process.</summary>
    public bool Live { get; private set; }

    public event Action? Changed;

    public int Count
    {
        get { lock (_gate) return _rows.Count; }
    }

    public int LastSeq
    {
        get { lock (_gate) return _lastSeq; }
    }

    /// <summary>How many state events there are: a page that saw this many has nothing new to show but log lines.</summary>
    public int StateCount
    {
        get { lock (_gate) return _states.Count; }
    }

    /// <summary>Grows whenever a new host or root component appears in the log (the filter menus change).</summary>
    public int OriginsVersion
    {
        get { lock (_gate) return _originsVersion; }
    }

    internal void SetLive(bool live)
    {
        Live = live;
        Changed?.Invoke();
    }

    internal void Append(IEnumerable<(int Seq, DeploymentEvent Event)> events)
    {
        lock (_gate)
        {
            foreach (var (seq, e) in events)
            {
                if (seq <= _lastSeq) continue;     // a replay overlapping what is here already
                _lastSeq = seq;
                if (LogRow.From(seq, e) is { } row)
                {
                    _rows.Add(row);
                    if ((row.Host is { } h && _hosts.Add(h)) | (row.Component is { } c && _components.Add(c)))
                    {
                        _originsVersion++;
                        _origins = null;
                    }
                }
                if (StateTypes.Contains(e.GetType())) _states.Add(e);
            }
        }
        Changed?.Invoke();
    }

    public IReadOnlyList<LogRow> Slice(int start, int count)
    {
        lock (_gate)
        {
            start = Math.Clamp(start, 0, _rows.Count);
            return _rows.GetRange(start, Math.Min(count, _rows.Count - start));
        }
    }

    public IReadOnlyList<LogRow> Pick(IReadOnlyList<int> indexes, int start, int count)
    {
        lock (_gate)
        {
            var end = Math.Min(indexes.Count, start + count);
            var result = new List<LogRow>(Math.Max(0, end - start));
            for (var i = start; i < end; i++) result.Add(_rows[indexes[i]]);
            return result;
        }
    }

    /// <summary>Adds to <paramref name="indexes"/> the rows from <paramref name="from"/> on that match; returns the row count examined up to.</summary>
    public int FilterInto(LogFilter filter, List<int> indexes, int from)
    {
        lock (_gate)
        {
            for (var i = from; i < _rows.Count; i++)
                if (filter.Matches(_rows[i])) indexes.Add(i);
            return _rows.Count;
        }
    }

    /// <summary>State events from position <paramref name="from"/> on; the caller remembers how many it has seen.</summary>
    public IReadOnlyList<DeploymentEvent> StatesFrom(int from)
    {
        lock (_gate) return from >= _states.Count ? [] : _states.GetRange(from, _states.Count - from);
    }

    /// <summary>The hosts and root components that appear in the log, for the filter menus (kept as lines arrive, not searched for).</summary>
    public (IReadOnlyList<string> Hosts, IReadOnlyList<string> Components) Origins()
    {
        lock (_gate) return _origins ??= ([.. _hosts], [.. _components]);
    }
}
