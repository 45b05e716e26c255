using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Batou.Web.Deployments;

/// <summary>One persistent Quartz job per environment: runs the queued deployments of it, oldest first, one at a time.</summary>
[DisallowConcurrentExecution]
public sealed class EnvironmentDeploymentJob(IServiceScopeFactory scopes, DeploymentRunner runner) : IJob
{
    public const string RepositoryKey = "repositoryId";
    public const string EnvironmentKey = "environment";

    public static JobKey Key(int repositoryId, string environment) => new($"{repositoryId}:{environment}", "environments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var repositoryId = context.MergedJobDataMap.GetInt(RepositoryKey);
        var environment = context.MergedJobDataMap.GetString(EnvironmentKey)!;
        while (!cancellationToken.IsCancellationRequested && await ClaimNextAsync(repositoryId, environment) is { } id)
            await runner.RunAsync(id, cancellationToken);
    }

    /// <summary>Marks the oldest queued deployment of the environment running; null when there is none.</summary>
    private async Task<long?> ClaimNextAsync(int repositoryId, string environment)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        while (true)
        {
            var next = await db.Deployments.Where(d => d.RepositoryId == repositoryId && d.Environment == environment && d.Status == DeploymentStatus.Queued)
                .OrderBy(d => d.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync();
            if (next is null) return null;
            var claimed = await db.Deployments.Where(d => d.Id == next && d.Status == DeploymentStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeploymentStatus.Running).SetProperty(d => d.StartedUtc, DateTime.UtcNow));
            if (claimed == 1) return next;
        }
    }
}
