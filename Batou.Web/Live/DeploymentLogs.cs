using System.Collections.Concurrent;
using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Live;

/// <summary>
/// Hands out the shared <see cref="DeploymentLog"/> of a deployment: one copy per deployment however many pages
/// show it. A deployment running in this process is followed through the <see cref="LiveHub"/> (everything so far,
/// then live); any other is read from the database. Logs nobody has looked at for a minute are dropped.
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
    }

    /// <summary>The log of <paramref name="id"/>; dispose the lease when the page goes away.</summary>
    public async Task<LogLease> OpenAsync(long id, CancellationToken ct = default)
    {
        EnsureSweeper();
        if (_entries.TryGetValue(id, out var existing) && (existing.Log.Live || existing.Complete))
            return Lease(existing);
        var entry = new Entry(new DeploymentLog(id));
        var live = hub.Subscribe(id, 0);
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
            var batch = new List<(int, DeploymentEvent)>(4096);
            await foreach (var row in db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id).OrderBy(e => e.Seq)
                               .Select(e => new { e.Seq, e.Json }).AsAsyncEnumerable().WithCancellation(ct))
            {
                batch.Add((row.Seq, EventJson.Deserialize(row.Json)));
                if (batch.Count < 4096) continue;
                entry.Log.Append(batch);
                batch.Clear();
            }
            entry.Log.Append(batch);
            entry.Complete = status is not null && DeploymentStatus.IsFinal(status);
        }
        // two pages opening at once: the first one registered wins, the other copy is dropped
        return Lease(_entries.AddOrUpdate(id, entry, (_, old) => old.Log.Live || old.Complete ? old : entry));
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
            if (Volatile.Read(ref entry.Readers) <= 0 && !entry.Log.Live && DateTime.UtcNow - entry.LastRelease > Idle)
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
