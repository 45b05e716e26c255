using Batou.Engine.Api;
using Batou.Web.Live.Stored;

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
/// fed by the live hub. A finished one opens at its tail (<see cref="StartStored"/>): it holds the last rows and
/// every state event, and the <see cref="Stored"/> rest is read by seq range as a reader pages up, or all at once
/// (<see cref="EnsureAllAsync"/>) when a filter needs every row. Readers take slices under a lock;
/// <see cref="Changed"/> tells subscribers that lines or states were appended.
/// </summary>
public sealed class DeploymentLog
{
    /// <summary>The events a page keeps state from (stored under their type name: <c>deployment_events.Type</c>).</summary>
    internal static readonly HashSet<Type> StateTypes =
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
    // a finished log opened at its tail: _rows holds some rows (sorted by seq, not contiguous), the rest is in the database
    private StoredLog? _stored;
    private Task? _all;

    public DeploymentLog(long id) => Id = id;

    public long Id { get; }

    /// <summary>True while events still arrive from a deployment running in this process.</summary>
    public bool Live { get; private set; }

    public event Action? Changed;

    /// <summary>How many rows the log has (held in memory or not).</summary>
    public int Count
    {
        get { lock (_gate) return _stored?.All.Count ?? _rows.Count; }
    }

    /// <summary>Set while only the tail is in memory: views without a filter (but output) page through it.</summary>
    public StoredLog? Stored
    {
        get { lock (_gate) return _stored; }
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
                    AddOriginLocked(row);
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
            if (_stored is { } stored) return HeldLocked(stored.All, start, count, null);
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
    private void AddOriginLocked(LogRow row)
    {
        if ((row.Host is { } h && _hosts.Add(h)) | (row.Component is { } c && _components.Add(c)))
        {
            _originsVersion++;
            _origins = null;
        }
    }

    /// <summary>
    /// A finished log opened at its tail: <paramref name="held"/> are the events kept in memory (the last rows of
    /// both views), <paramref name="states"/> every state event before them; the rest stays in <paramref name="stored"/>.
    /// </summary>
    internal void StartStored(StoredLog stored, IEnumerable<(int Seq, DeploymentEvent Event)> states, IEnumerable<(int Seq, DeploymentEvent Event)> held)
    {
        lock (_gate)
        {
            _stored = stored;
            foreach (var (seq, e) in states)
            {
                _states.Add(e);
                if (LogRow.From(seq, e) is { } row) AddOriginLocked(row);   // the menus: hosts and roots seen anywhere in the log
            }
            foreach (var (seq, e) in held)
            {
                if (LogRow.From(seq, e) is { } row)
                {
                    _rows.Add(row);
                    AddOriginLocked(row);
                }
                if (StateTypes.Contains(e.GetType())) _states.Add(e);
            }
            _rows.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            _lastSeq = stored.All.Count > 0 ? stored.All[^1] : 0;
        }
        Changed?.Invoke();
    }

    /// <summary>The rows at positions <paramref name="start"/>… of a view over <paramref name="seqs"/> that are in memory (all of them near the tail).</summary>
    public IReadOnlyList<LogRow> Held(IReadOnlyList<int> seqs, int start, int count)
    {
        lock (_gate) return HeldLocked(seqs, start, count, null);
    }

    private List<LogRow> HeldLocked(IReadOnlyList<int> seqs, int start, int count, List<int>? missing)
    {
        start = Math.Clamp(start, 0, seqs.Count);
        var end = Math.Min(seqs.Count, start + Math.Max(0, count));
        var result = new List<LogRow>(end - start);
        for (var i = start; i < end; i++)
        {
            var at = FindLocked(seqs[i]);
            if (at >= 0) result.Add(_rows[at]);
            else missing?.Add(seqs[i]);
        }
        return result;
    }

    private int FindLocked(int seq)
    {
        int lo = 0, hi = _rows.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var s = _rows[mid].Seq;
            if (s == seq) return mid;
            if (s < seq) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>
    /// The rows at positions <paramref name="start"/>… of a stored view (with or without command output): those in
    /// memory, the others read from the database in one seq range.
    /// </summary>
    public async Task<IReadOnlyList<LogRow>> ReadAsync(StoredLog stored, bool output, int start, int count, CancellationToken ct)
    {
        var seqs = stored.Seqs(output);
        var missing = new List<int>();
        List<LogRow> held;
        // (when every row came into memory meanwhile, the same seqs are all found here)
        lock (_gate) held = HeldLocked(seqs, start, count, missing);
        if (missing.Count == 0) return held;
        var read = await stored.ReadAsync(missing[0], missing[^1], output, ct);
        var bySeq = new Dictionary<int, LogRow>(read.Count + held.Count);
        foreach (var row in held) bySeq[row.Seq] = row;
        foreach (var (seq, e) in read)
            if (LogRow.From(seq, e) is { } row) bySeq[seq] = row;
        start = Math.Clamp(start, 0, seqs.Count);
        var end = Math.Min(seqs.Count, start + Math.Max(0, count));
        var result = new List<LogRow>(end - start);
        for (var i = start; i < end; i++)
            if (bySeq.TryGetValue(seqs[i], out var row)) result.Add(row);
        return result;
    }

    /// <summary>Brings every row into memory (once; a filter by host, component, level or text looks at all of them).</summary>
    public Task EnsureAllAsync()
    {
        lock (_gate)
        {
            if (_stored is null) return Task.CompletedTask;
            return _all ??= LoadAllAsync(_stored);
        }
    }

    private async Task LoadAllAsync(StoredLog stored)
    {
        try
        {
            var events = stored.All.Count == 0 ? [] : await stored.ReadAsync(stored.All[0], stored.All[^1], output: true, CancellationToken.None);
            var rows = new List<LogRow>(events.Count);
            foreach (var (seq, e) in events)
                if (LogRow.From(seq, e) is { } row) rows.Add(row);
            lock (_gate)
            {
                _rows.Clear();
                _rows.AddRange(rows);
                foreach (var row in rows) AddOriginLocked(row);
                _stored = null;
            }
        }
        catch
        {
            lock (_gate) _all = null;   // the next filter tries again
            throw;
        }
        Changed?.Invoke();
    }
}
