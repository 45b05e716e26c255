using Batou.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Batou.Web.Components.Shared;

/// <summary>
/// A page that stays current while it is shown: once interactive it subscribes to the <see cref="ActivityFeed"/>
/// and reloads what it shows (<see cref="OnActivityAsync"/>) when deployments change, at most every 100 ms;
/// it leaves the feed when disposed. No polling, no reloads.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    [Inject] private ActivityFeed Feed { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? Auth { get; set; }
    private IDisposable? _subscription;
    private int _pending;
    private bool _disposed;

    /// <summary>Reload what the page shows after a deployment changed. Runs on the renderer's thread.</summary>
    protected abstract Task OnActivityAsync(DeploymentChanged? change);

    protected async Task<string> UserNameAsync() =>
        Auth is null ? "anonymous" : (await Auth).User.Identity?.Name ?? "anonymous";

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && !_disposed) _subscription = Feed.Subscribe(Changed);
    }

    private void Changed(DeploymentChanged change)
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(100);
            Volatile.Write(ref _pending, 0);
            if (_disposed) return;
            try
            {
                await InvokeAsync(async () =>
                {
                    await OnActivityAsync(change);
                    StateHasChanged();
                });
            }
            catch (ObjectDisposedException)
            {
                // the circuit went away meanwhile
            }
        });
    }

    public virtual void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
