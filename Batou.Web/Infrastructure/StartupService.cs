using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Git;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Infrastructure;

/// <summary>
/// Before anything serves: applies the migrations, interrupts deployments whose process died (keeping their events),
/// adds the configured repositories and enqueues a job for every environment that still has queued deployments.
/// </summary>
internal sealed class StartupService(IServiceScopeFactory scopes, IOptions<BatouWebOptions> options, DeploymentQueue queue, DeploymentLeases leases) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.Value.DataPath);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        await db.Database.MigrateAsync(ct);
        await leases.ReapAsync(startup: true, ct);
        foreach (var r in options.Value.Repositories.Where(r => !db.Repositories.Any(x => x.Name == r.Name)))
        {
            Ssh.SshClients.TryParse(r.SshClient, out var client);
            db.Repositories.Add(new RepositoryEntity { Name = r.Name, Url = r.Url, CreatedUtc = DateTime.UtcNow, SshClient = client });
        }
        await db.SaveChangesAsync(ct);
        var waiting = await db.Deployments.Where(d => d.Status == DeploymentStatus.Queued)
            .Select(d => new { d.RepositoryId, d.Environment }).Distinct().ToListAsync(ct);
        foreach (var w in waiting) await queue.TriggerAsync(w.RepositoryId, w.Environment, ct);
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
