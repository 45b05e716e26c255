using System.Collections.Concurrent;
using Batou.Web.Data;
using Batou.Web.Git;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Batou.Web.Deployments;

public sealed record DeployCommand(RepositoryEntity Repository, string Environment, CommitInfo Commit, string? Branch, bool Predict, int? Jobs, string User);

/// <summary>
/// Queues deployments: a row in the database (status queued) plus a trigger of the environment's
/// persistent Quartz job. The job never runs twice at once for one environment and always takes the
/// oldest queued deployment, so each environment is a FIFO queue that survives restarts.
/// </summary>
public sealed class DeploymentQueue(IServiceScopeFactory scopes, ISchedulerFactory schedulers)
{
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();

    public async Task<long> EnqueueAsync(DeployCommand c, CancellationToken ct = default)
    {
        long id;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            var d = new DeploymentEntity
            {
                RepositoryId = c.Repository.Id,
                Environment = c.Environment,
                Commit = c.Commit.Hash,
                CommitMessage = c.Commit.Message,
                Branch = c.Branch,
                Mode = c.Predict ? DeploymentModes.Predict : DeploymentModes.Deploy,
                Jobs = c.Jobs,
                Status = DeploymentStatus.Queued,
                RequestedBy = c.User,
                RequestedUtc = DateTime.UtcNow,
            };
            db.Deployments.Add(d);
            await db.SaveChangesAsync(ct);
            id = d.Id;
        }
        await TriggerAsync(c.Repository.Id, c.Environment, ct);
        return id;
    }

    /// <summary>Makes the environment's job run (again); it drains the queue of that environment.</summary>
    public async Task TriggerAsync(int repositoryId, string environment, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = EnvironmentDeploymentJob.Key(repositoryId, environment);
        var job = JobBuilder.Create<EnvironmentDeploymentJob>()
            .WithIdentity(key)
            .UsingJobData(EnvironmentDeploymentJob.RepositoryKey, repositoryId)
            .UsingJobData(EnvironmentDeploymentJob.EnvironmentKey, environment)
            .StoreDurably()
            .RequestRecovery()
            .Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
        var trigger = TriggerBuilder.Create().ForJob(key).WithIdentity(Guid.NewGuid().ToString("n"), "deployments").StartNow()
            .Build();
        await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), ct);
    }

    internal CancellationTokenSource Register(long id) => _running[id] = new CancellationTokenSource();

    internal void Unregister(long id)
    {
        if (_running.TryRemove(id, out var cts)) cts.Dispose();
    }

    /// <summary>A queued deployment is cancelled at once; a running one after its current component.</summary>
    public async Task<bool> CancelAsync(long id, string user, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var queued = await db.Deployments.Where(d => d.Id == id && d.Status == DeploymentStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Cancelled)
                .SetProperty(d => d.CancelledBy, user).SetProperty(d => d.FinishedUtc, DateTime.UtcNow), ct);
        if (queued > 0) return true;
        if (!_running.TryGetValue(id, out var cts)) return false;
        await db.Deployments.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.CancelledBy, user), ct);
        await cts.CancelAsync();
        return true;
    }
}
