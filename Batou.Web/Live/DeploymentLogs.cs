using System.Collections.Concurrent;
using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Live;

/// <summary>
/// Hands out the shared <see cref="DeploymentLog"/> of a deployment: one copy per deployment however many pages
/// show it. A deployment running in this process is followed through the <see cref="LiveHub"/> (everything so far,
/// then live); a finished one opens at its tail (<see cref="Stored.StoredLogReader"/>); any other is read from the database — and, when another dashboard process runs it (PostgreSQL,
/// <see cref="FollowRemote"/>), followed from the database as that process announces new rows. Logs nobody has
/// looked at for a minute are dropped.
/// </summary>
public sealed class DeploymentLogs(LiveHub hub, IServiceScopeFactory scopes, ILogger<DeploymentLogs> log) : IDisposable
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    private sealed class Entry(DeploymentLog log)
    {
        public DeploymentLog Log { get; } = log;
        public int Readers;
        public DateTime LastRelease = DateTime.UtcNow;
        public bool Complete;
        /// <summary>Running in another process: new rows are read when it announces them.</summary>
        public bool Remote;
        public int ReadPending;
        public readonly SemaphoreSlim Reading = new(1);
    }

    /// <summary>Set by the PostgreSQL bridge once it listens: deployments running elsewhere are followed live.</summary>
    public bool FollowRemote { get; set; }

    /// <summary>The log of <paramref name="id"/>; dispose the lease when the page goes away.</summary>
    public async Task<LogLease> OpenAsync(long id, CancellationToken ct = default)
    {
        EnsureSweeper();
        if (_entries.TryGetValue(id, out var existing) && (existing.Log.Live || existing.Complete))
            return Lease(existing);
        var entry = new Entry(new DeploymentLog(id));
        var live = hub.Subscribe(id, 0);
        if (live?.FinalStatus is not null)
        {
            // ended in this process moments ago (the hub keeps it 30 s): its final status is stored after every event,
            // so the database has the whole log and it opens at its tail instead of replaying every event into memory
            live.Dispose();
            live = null;
        }
        if (live is not null)
        {
            entry.Log.SetLive(true);
            _ = Task.Run(() => PumpAsync(entry, live), CancellationToken.None);
        }
        else
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            var status = await db.Deployments.Where(d => d.Id == id).Select(d => d.Status).FirstOrDefaultAsync(ct);
            var final = status is not null && DeploymentStatus.IsFinal(status);
            // a finished log opens at its tail (older rows are read as a reader pages up); any other is read whole
            if (!final || !await Stored.StoredLogReader.TryOpenAtTailAsync(db, scopes, entry.Log, ct)) await ReadAfterAsync(db, entry, ct);
            entry.Complete = final;
            if (FollowRemote && status == DeploymentStatus.Running)
            {
                entry.Remote = true;
                entry.Log.SetLive(true);
            }
        }
        // two pages opening at once: the first one registered wins, the other copy is dropped
        var kept = _entries.AddOrUpdate(id, entry, (_, old) => old.Log.Live || old.Complete ? old : entry);
        // rows announced between the read and the registration were missed: look once more
        if (kept.Remote) RemoteEvents(id, int.MaxValue);
        return Lease(kept);
    }

    /// <summary>Appends the stored events after the log's last one.</summary>
    private static async Task ReadAfterAsync(BatouDb db, Entry entry, CancellationToken ct)
    {
        var after = entry.Log.LastSeq;
        var batch = new List<(int, DeploymentEvent)>(4096);
        await foreach (var row in db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == entry.Log.Id && e.Seq > after).OrderBy(e => e.Seq)
                           .Select(e => new { e.Seq, e.Json }).AsAsyncEnumerable().WithCancellation(ct))
        {
            batch.Add((row.Seq, EventJson.Deserialize(row.Json)));
            if (batch.Count < 4096) continue;
            entry.Log.Append(batch);
            batch.Clear();
        }
        entry.Log.Append(batch);
    }

    /// <summary>Another process committed events of <paramref name="id"/> up to <paramref name="seq"/>: a followed log reads them (folded per 100 ms).</summary>
    public void RemoteEvents(long id, int seq)
    {
        if (!_entries.TryGetValue(id, out var entry) || !entry.Remote || seq <= entry.Log.LastSeq) return;
        if (Interlocked.Exchange(ref entry.ReadPending, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(Components.Shared.Coalescer.Delay);
            Volatile.Write(ref entry.ReadPending, 0);
            await CatchUpAsync(entry, finished: false);
        });
    }

    /// <summary>Another process finished <paramref name="id"/>: a followed log reads its last events and stops following.</summary>
    public Task RemoteFinishedAsync(long id) =>
        _entries.TryGetValue(id, out var entry) && entry.Remote ? CatchUpAsync(entry, finished: true) : Task.CompletedTask;

    /// <summary>After the notification connection was (re)opened: every followed log reads what it may have missed.</summary>
    public void RemoteCatchUpAll()
    {
        foreach (var (id, entry) in _entries)
            if (entry.Remote) RemoteEvents(id, int.MaxValue);
    }

    private async Task CatchUpAsync(Entry entry, bool finished)
    {
        await entry.Reading.WaitAsync();
        try
        {
            if (!entry.Remote) return;
            using var scope = scopes.CreateScope();
            await ReadAfterAsync(scope.ServiceProvider.GetRequiredService<BatouDb>(), entry, CancellationToken.None);
            if (!finished) return;
            entry.Remote = false;
            entry.Complete = true;
            entry.Log.SetLive(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogWarning(e, "Following the log of deployment {Id} from the database failed", entry.Log.Id);
        }
        finally
        {
            entry.Reading.Release();
        }
    }

    private LogLease Lease(Entry entry)
    {
        Interlocked.Increment(ref entry.Readers);
        return new LogLease(entry.Log, () =>
        {
            Interlocked.Decrement(ref entry.Readers);
            entry.LastRelease = DateTime.UtcNow;
        });
    }

    private async Task PumpAsync(Entry entry, LiveSubscription live)
    {
        try
        {
            var batch = new List<(int, DeploymentEvent)>();
            while (await live.Reader.WaitToReadAsync())
            {
                while (batch.Count < 2000 && live.Reader.TryRead(out var e)) batch.Add((e.Seq, EventJson.Deserialize(e.Json)));
                entry.Log.Append(batch);
                batch.Clear();
            }
            entry.Complete = true;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Following the log of deployment {Id} failed", entry.Log.Id);
        }
        finally
        {
            live.Dispose();
            entry.Log.SetLive(false);
        }
    }

    private Timer? _timer;

    private void EnsureSweeper()
    {
        if (_timer is not null) return;
        var timer = new Timer(_ => Sweep(), null, Idle, Idle);
        if (Interlocked.CompareExchange(ref _timer, timer, null) is not null) timer.Dispose();
    }

    private void Sweep()
    {
        foreach (var (id, entry) in _entries)
            if (Volatile.Read(ref entry.Readers) <= 0 && (!entry.Log.Live || entry.Remote) && DateTime.UtcNow - entry.LastRelease > Idle)
                _entries.TryRemove(new KeyValuePair<long, Entry>(id, entry));
    }

    public void Dispose()
    {
        _timer?.Dispose();
    }
}

/// <summary>A page's hold on a shared log; disposing it lets the log be dropped once nobody reads it.</summary>
public sealed class LogLease(DeploymentLog log, Action release) : IDisposable
{
    private int _released;
    public DeploymentLog Log { get; } = log;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) release();
    }
}
