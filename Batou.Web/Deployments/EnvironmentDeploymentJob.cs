using System.ComponentModel;
using Hangfire;

namespace Batou.Web.Deployments;

/// <summary>
/// The Hangfire job behind every deploy request: it drains the queue of one environment, oldest first, as long as it
/// can claim a deployment. Hangfire only executes; the claim (<see cref="DeploymentLeases.ClaimNextAsync"/>) decides.
/// So a job that runs twice, late or in another process finds nothing to claim and ends, and the order in which
/// Hangfire picks jobs does not matter. Never retried: a deployment is not re-run without a person asking.
/// </summary>
public sealed class EnvironmentDeploymentJob(DeploymentLeases leases, DeploymentRunner runner)
{
    public const string Queue = "deployments";

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [DisplayName("deploy {1} (repository {0})")]
    public async Task RunAsync(int repositoryId, string environment, CancellationToken shutdown)
    {
        while (!shutdown.IsCancellationRequested && await leases.ClaimNextAsync(repositoryId, environment, shutdown) is { } id)
            await runner.RunAsync(id, shutdown);
    }
}
