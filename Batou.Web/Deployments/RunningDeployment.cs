namespace Batou.Web.Deployments;

/// <summary>
/// The two stages of cancelling a deployment that runs in this process: <see cref="Cancel"/> (nothing new starts, running
/// commands get the grace period) and <see cref="StopNow"/> (running commands are killed).
/// </summary>
internal sealed class RunningDeployment : IDisposable
{
    public CancellationTokenSource Cancel { get; } = new();
    public CancellationTokenSource StopNow { get; } = new();

    public void Trip(bool stopNow)
    {
        try
        {
            Cancel.Cancel();
            if (stopNow) StopNow.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // it just finished
        }
    }

    public void Dispose()
    {
        Cancel.Dispose();
        StopNow.Dispose();
    }
}
