using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Git;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Deployments;

/// <summary>
/// Runs one claimed deployment through the engine: materialises the commit, streams the engine's events
/// to the live hub and (batched) to the database, and derives the final status from <see cref="DeploymentFinished"/>.
/// </summary>
public sealed class DeploymentRunner(IServiceScopeFactory scopes, RepositoryCatalog catalog, DeploymentQueue queue, LiveHub hub, ILogger<DeploymentRunner> log)
{
    public async Task RunAsync(long id, CancellationToken shutdown)
    {
        DeploymentEntity d;
        RepositoryEntity? repo;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            d = await db.Deployments.AsNoTracking().FirstAsync(x => x.Id == id, CancellationToken.None);
            repo = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Id == d.RepositoryId, CancellationToken.None);
        }
        var cts = queue.Register(id);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, shutdown);
        hub.Start(id);
        var roots = new RootTracker();
        var seq = 0;
        DeploymentFinished? finished = null;
        await using (var writer = new EventWriter(scopes, id))
        {
            void Emit(DeploymentEvent e)
            {
                var json = EventJson.Serialize(e);
                var live = new LiveEvent(++seq, e.GetType().Name, json);
                roots.Apply(e);
                writer.Add(live);
                hub.Publish(id, live);
                if (e is DeploymentFinished f) finished = f;
            }
            try
            {
                if (repo is null) throw new GitException("the repository of this deployment no longer exists");
                var dir = await catalog.PrepareDeployDirectoryAsync(repo, d.Environment, d.Commit, CancellationToken.None);
                var request = new DeploymentRequest(dir, d.Environment)
                {
                    Mode = d.Mode == DeploymentModes.Predict ? DeploymentMode.Predict : DeploymentMode.Deploy,
                    Jobs = d.Jobs,
                };
                await foreach (var e in BatouEngine.RunAsync(request, linked.Token).WithCancellation(CancellationToken.None))
                    Emit(e);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogError(e, "Deployment {Id} failed outside the engine", id);
                Emit(new ErrorRaised(BatouError.Create("Dashboard", e.Message)));
            }
            if (finished is null)
                Emit(new DeploymentFinished(false, d.Mode == DeploymentModes.Predict ? DeploymentMode.Predict : DeploymentMode.Deploy, Phase.Load, 1, TimeSpan.Zero, TimeSpan.Zero));
        }
        var status = finished!.Success ? DeploymentStatus.Succeeded
            : cts.IsCancellationRequested ? DeploymentStatus.Cancelled
            : shutdown.IsCancellationRequested ? DeploymentStatus.Interrupted
            : DeploymentStatus.Failed;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            db.DeploymentRoots.AddRange(roots.Results(id));
            await db.SaveChangesAsync(CancellationToken.None);
            await db.Deployments.Where(x => x.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, status)
                .SetProperty(x => x.FinishedUtc, DateTime.UtcNow)
                .SetProperty(x => x.EventCount, seq)
                .SetProperty(x => x.ErrorCount, finished.ErrorCount)
                .SetProperty(x => x.ChangedCount, roots.ChangedCount), CancellationToken.None);
        }
        queue.Unregister(id);
        hub.Finish(id, status);
    }
}
