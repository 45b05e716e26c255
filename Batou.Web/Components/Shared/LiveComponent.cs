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
    private Coalescer? _reload;
    private readonly Lock _gate = new();
    private DeploymentChanged? _folded;
    private int _count;
    private bool _disposed;

    /// <summary>Reload what the page shows after a deployment changed. Runs on the renderer's thread.</summary>
    protected abstract Task OnActivityAsync(DeploymentChanged? change);

    protected async Task<string> UserNameAsync() =>
        Auth is null ? "anonymous" : (await Auth).User.Identity?.Name ?? "anonymous";

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender || _disposed) return;
        _subscription = Feed.Subscribe(Changed);
        // what changed between loading the page and subscribing would be missed: look once more now
        Changed(null);
    }

    private void Changed(DeploymentChanged? change)
    {
        // one change is passed on as it is; several folded together (or a catch-up) are passed on as null: "look at everything"
        lock (_gate) _folded = _count++ == 0 ? change : null;
        _reload ??= new Coalescer(() => _disposed ? Task.CompletedTask : InvokeAsync(async () =>
        {
            DeploymentChanged? folded;
            lock (_gate)
            {
                folded = _folded;
                (_folded, _count) = (null, 0);
            }
            await OnActivityAsync(folded);
            StateHasChanged();
        }));
        _reload.Notify();
    }

    public virtual void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
