using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Deployments;

/// <summary>
/// The database is the truth about who runs what. A deployment is claimed atomically (queued → running only when it
/// is the oldest queued one of its environment and none of that environment runs), with a lease (owner, expiry)
/// that the owner's heartbeat renews. A deployment whose lease ran out — its process died — is interrupted:
/// its events stay, an <c>Interrupted</c> error is appended, and its environment is free for the next one.
/// </summary>
public sealed class DeploymentLeases(IServiceScopeFactory scopes, IOptions<BatouWebOptions> options, Live.ActivityFeed feed, ILogger<DeploymentLeases> log)
{
    /// <summary>This process, as lease owner: "machine:pid:instance".</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("n")[..8]}";

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.Deployments.LeaseSeconds);

    /// <summary>Claims the oldest queued deployment of the environment; null when there is none or the environment is busy.</summary>
    public async Task<long?> ClaimNextAsync(int repositoryId, string environment, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var mine = db.Deployments.Where(d => d.RepositoryId == repositoryId && d.Environment == environment);
            var next = await mine.Where(d => d.Status == DeploymentStatus.Queued).OrderBy(d => d.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct);
            if (next is null || await mine.AnyAsync(d => d.Status == DeploymentStatus.Running, ct)) return null;
            var now = DateTime.UtcNow;
            var expires = now + Lease;
            int claimed;
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (db.Database.IsNpgsql())   // serialise the claims of one environment across processes
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({repositoryId + "/" + environment}))", ct);
                // one statement: still queued, still the oldest, and nothing of the environment running
                claimed = await db.Deployments
                    .Where(d => d.Id == next && d.Status == DeploymentStatus.Queued
                                && !db.Deployments.Any(o => o.RepositoryId == repositoryId && o.Environment == environment
                                                            && (o.Status == DeploymentStatus.Running || (o.Status == DeploymentStatus.Queued && o.Id < next))))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Running).SetProperty(d => d.StartedUtc, now)
                        .SetProperty(d => d.LeaseOwner, Owner).SetProperty(d => d.LeaseExpiresUtc, expires), ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (IsUniqueViolation(e))
            {
                return null;   // the one-running-per-environment index caught a race: somebody else runs it
            }
            catch (Exception e) when (IsUniqueViolation(e))
            {
                return null;
            }
            if (claimed == 1) return next;
        }
        return null;
    }

    private static bool IsUniqueViolation(Exception e) =>
        (e.InnerException ?? e).Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal)
        || (e.InnerException ?? e) is Npgsql.PostgresException { SqlState: "23505" };

    /// <summary>Moves on the leases of this process's running deployments; returns those somebody asked to cancel (and whether to stop now).</summary>
    public async Task<List<(long Id, bool StopNow)>> RenewAsync(CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var expires = DateTime.UtcNow + Lease;
        var mine = db.Deployments.Where(d => d.LeaseOwner == Owner && d.Status == DeploymentStatus.Running);
        await mine.ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseExpiresUtc, expires), ct);
        var cancelled = await mine.Where(d => d.CancelledBy != null).Select(d => new { d.Id, d.StopNowUtc }).ToListAsync(ct);
        return cancelled.Select(c => (c.Id, c.StopNowUtc != null)).ToList();
    }

    /// <summary>
    /// Interrupts the running deployments whose lease ran out (at start-up also those of a dead process of this machine,
    /// and those of a version without leases); returns the environments that may have queued deployments to run next.
    /// </summary>
    public async Task<List<(int RepositoryId, string Environment)>> ReapAsync(bool startup, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var now = DateTime.UtcNow;
        var running = await db.Deployments.AsNoTracking().Where(d => d.Status == DeploymentStatus.Running)
            .Select(d => new { d.Id, d.RepositoryId, d.Environment, d.LeaseOwner, d.LeaseExpiresUtc }).ToListAsync(ct);
        var freed = new List<(int, string)>();
        foreach (var d in running)
        {
            var dead = d.LeaseOwner is null || d.LeaseExpiresUtc < now || (startup && OwnerIsDeadHere(d.LeaseOwner));
            if (!dead || d.LeaseOwner == Owner) continue;
            if (await InterruptAsync(db, d.Id, d.LeaseOwner, ct))
            {
                log.LogWarning("Deployment {Id} was interrupted: its process ({Owner}) stopped renewing its lease", d.Id, d.LeaseOwner ?? "an older dashboard");
                feed.Publish(d.Id, DeploymentStatus.Interrupted);   // open pages (here and, on PostgreSQL, in the other processes) show it
                freed.Add((d.RepositoryId, d.Environment));
            }
        }
        return freed;
    }

    /// <summary>Marks one deployment interrupted (if it is still running under that owner) and appends the error event.</summary>
    private static async Task<bool> InterruptAsync(BatouDb db, long id, string? owner, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = DateTime.UtcNow;
        var changed = await db.Deployments.Where(d => d.Id == id && d.Status == DeploymentStatus.Running && d.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Interrupted).SetProperty(d => d.FinishedUtc, now)
                .SetProperty(d => d.LeaseExpiresUtc, (DateTime?)null), ct);
        if (changed == 0) return false;
        var last = await db.DeploymentEvents.Where(e => e.DeploymentId == id).MaxAsync(e => (int?)e.Seq, ct) ?? 0;
        var error = new ErrorRaised(BatouError.Create("Interrupted", "The dashboard stopped while this deployment was running; it did not finish."));
        db.DeploymentEvents.Add(new DeploymentEventEntity { DeploymentId = id, Seq = last + 1, Type = nameof(ErrorRaised), Json = EventJson.Serialize(error) });
        await db.SaveChangesAsync(ct);
        await db.Deployments.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.EventCount, last + 1)
            .SetProperty(d => d.ErrorCount, d => d.ErrorCount + 1), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>An owner of this machine whose process is gone (or is this process under an earlier instance) cannot renew.</summary>
    private bool OwnerIsDeadHere(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid)) return false;
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}

/// <summary>The heartbeat of this process: renews its leases, passes on cancel requests, and interrupts dead processes' deployments.</summary>
internal sealed class LeaseKeeper(DeploymentLeases leases, DeploymentQueue queue, IOptions<BatouWebOptions> options, ILogger<LeaseKeeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Deployments.HeartbeatSeconds));
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                foreach (var (id, stopNow) in await leases.RenewAsync(ct))
                {
                    queue.CancelLocal(id);
                    if (stopNow) queue.StopNowLocal(id);
                }
                foreach (var (repositoryId, environment) in await leases.ReapAsync(startup: false, ct))
                    await queue.TriggerAsync(repositoryId, environment, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The deployment heartbeat failed; trying again");
            }
        }
    }
}
