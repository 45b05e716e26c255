using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Git;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Infrastructure;

/// <summary>
/// Before anything serves: applies the migrations, marks deployments a crash interrupted (keeping their events),
/// adds the configured repositories and re-triggers every environment that still has queued deployments.
/// </summary>
internal sealed class StartupService(IServiceScopeFactory scopes, IOptions<BatouWebOptions> options, DeploymentQueue queue, ILogger<StartupService> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.Value.DataPath);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        await db.Database.MigrateAsync(ct);
        await RecoverInterruptedAsync(db, ct);
        foreach (var r in options.Value.Repositories.Where(r => !db.Repositories.Any(x => x.Name == r.Name)))
            db.Repositories.Add(new RepositoryEntity { Name = r.Name, Url = r.Url, CreatedUtc = DateTime.UtcNow });
        await db.SaveChangesAsync(ct);
        var waiting = await db.Deployments.Where(d => d.Status == DeploymentStatus.Queued)
            .Select(d => new { d.RepositoryId, d.Environment }).Distinct().ToListAsync(ct);
        foreach (var w in waiting) await queue.TriggerAsync(w.RepositoryId, w.Environment, ct);
    }

    private async Task RecoverInterruptedAsync(BatouDb db, CancellationToken ct)
    {
        var running = await db.Deployments.Where(d => d.Status == DeploymentStatus.Running).ToListAsync(ct);
        foreach (var d in running)
        {
            var last = await db.DeploymentEvents.Where(e => e.DeploymentId == d.Id).MaxAsync(e => (int?)e.Seq, ct) ?? 0;
            var error = new ErrorRaised(BatouError.Create("Interrupted", "The dashboard stopped while this deployment was running; it did not finish."));
            db.DeploymentEvents.Add(new DeploymentEventEntity { DeploymentId = d.Id, Seq = last + 1, Type = nameof(ErrorRaised), Json = EventJson.Serialize(error) });
            d.Status = DeploymentStatus.Interrupted;
            d.FinishedUtc = DateTime.UtcNow;
            d.EventCount = last + 1;
            d.ErrorCount += 1;
            log.LogWarning("Deployment {Id} was interrupted by a restart", d.Id);
        }
        await db.SaveChangesAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Clones the repositories at start and fetches them periodically.</summary>
internal sealed class RepositoryFetcher(RepositoryCatalog catalog, IOptions<BatouWebOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.FetchIntervalMinutes));
        do
        {
            foreach (var repo in await catalog.AllAsync(ct))
                await catalog.FetchAsync(repo.Name, ct);
        }
        while (await timer.WaitForNextTickAsync(ct));
    }
}
