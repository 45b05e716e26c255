using System.Collections.Concurrent;
using Batou.Web.Data;
using Batou.Web.Git;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Deployments;

public sealed record DeployCommand(RepositoryEntity Repository, string Environment, CommitInfo Commit, string? Branch, bool Predict, int? Jobs, string User)
{
    /// <summary>The deployment row this command becomes, requested now, in <paramref name="status"/>.</summary>
    public DeploymentEntity ToEntity(string status) => new()
    {
        RepositoryId = Repository.Id,
        Environment = Environment,
        Commit = Commit.Hash,
        CommitMessage = Commit.Message,
        Branch = Branch,
        Mode = Predict ? DeploymentModes.Predict : DeploymentModes.Deploy,
        Jobs = Jobs,
        Status = status,
        RequestedBy = User,
        RequestedUtc = DateTime.UtcNow,
    };
}

/// <summary>
/// Queues deployments: a row in the database (status queued) plus a Hangfire job for its environment. The row is
/// the truth; the job only drains the environment's queue through <see cref="DeploymentLeases"/>, oldest first,
/// one at a time per environment, in whichever process picks it up.
/// </summary>
public sealed class DeploymentQueue(IServiceScopeFactory scopes, IBackgroundJobClient jobs)
{
    private readonly ConcurrentDictionary<long, RunningDeployment> _running = new();

    /// <param name="request">What the environment's policy recorded about the request (snapshot, override), stored before the job exists.</param>
    public async Task<long> EnqueueAsync(DeployCommand c, CancellationToken ct = default, DeploymentRequestEntity? request = null)
    {
        long id;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            var d = c.ToEntity(DeploymentStatus.Queued);
            db.Deployments.Add(d);
            await db.SaveChangesAsync(ct);
            id = d.Id;
            if (request is not null)
            {
                request.DeploymentId = id;
                db.DeploymentRequests.Add(request);
                await db.SaveChangesAsync(ct);
            }
        }
        await TriggerAsync(c.Repository.Id, c.Environment, ct);
        return id;
    }

    /// <summary>Enqueues a job that drains the environment's queue (harmless when another one already does).</summary>
    public Task TriggerAsync(int repositoryId, string environment, CancellationToken ct = default)
    {
        jobs.Create<EnvironmentDeploymentJob>(j => j.RunAsync(repositoryId, environment, CancellationToken.None),
            new Hangfire.States.EnqueuedState(EnvironmentDeploymentJob.Queue));
        return Task.CompletedTask;
    }

    internal RunningDeployment Register(long id) => _running[id] = new RunningDeployment();

    internal void Unregister(long id)
    {
        if (_running.TryRemove(id, out var running)) running.Dispose();
    }

    /// <summary>Whether somebody asked to cancel <paramref name="id"/>, which runs in this process.</summary>
    internal bool IsCancelling(long id) => _running.TryGetValue(id, out var running) && running.Cancel.IsCancellationRequested;

    /// <summary>Stops a deployment running in this process after its current component (a cancel request seen by the heartbeat).</summary>
    internal void CancelLocal(long id)
    {
        if (_running.TryGetValue(id, out var running)) running.Trip(stopNow: false);
    }

    /// <summary>Kills the running commands of a cancelled deployment running in this process (skips the rest of its grace period).</summary>
    internal void StopNowLocal(long id)
    {
        if (_running.TryGetValue(id, out var running)) running.Trip(stopNow: true);
    }

    /// <summary>
    /// Skips the rest of the grace period of a running deployment somebody already cancelled: its running commands are
    /// killed — here at once, in another process at its next heartbeat. False when it is not running and cancelling.
    /// </summary>
    public async Task<bool> StopNowAsync(long id, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var marked = await db.Deployments.Where(d => d.Id == id && d.Status == DeploymentStatus.Running && d.CancelledBy != null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.StopNowUtc, DateTime.UtcNow), ct);
        if (marked == 0) return false;
        StopNowLocal(id);
        return true;
    }

    /// <summary>
    /// A queued (or awaiting-approval) deployment is cancelled at once; a running one is marked (<c>CancelledBy</c>) and stops after its
    /// current component — here at once, in another process at its next heartbeat — and then ends as cancelled.
    /// False when it is neither queued nor running.
    /// </summary>
    public async Task<bool> CancelAsync(long id, string user, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var queued = await db.Deployments.Where(d => d.Id == id && (d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.AwaitingApproval))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Cancelled)
                .SetProperty(d => d.CancelledBy, user).SetProperty(d => d.FinishedUtc, DateTime.UtcNow), ct);
        if (queued > 0)
        {
            await Governance.Webhooks.CancelledBeforeStart.NotifyAsync(scope.ServiceProvider, id, ct);
            return true;
        }
        var running = await db.Deployments.Where(d => d.Id == id && d.Status == DeploymentStatus.Running && d.CancelledBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CancelledBy, user), ct);
        if (running == 0 && !await db.Deployments.AnyAsync(d => d.Id == id && d.Status == DeploymentStatus.Running, ct)) return false;
        CancelLocal(id);
        return true;
    }
}
