using Batou.Engine.Api;

namespace Batou.Web.Engine;

/// <summary>
/// Creates the <see cref="EngineProcess"/> when the dashboard starts, so its pool of warm engine
/// processes (<c>Batou:Engine:PoolSize</c>) fills before the first page asks. Stopping leaves it to
/// the container, which disposes it after every hosted service (Hangfire's server too) has stopped:
/// running deployments get their cancel grace, then every engine process still there is killed.
/// </summary>
internal sealed class EngineStarter(EngineProcess engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(engine);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
