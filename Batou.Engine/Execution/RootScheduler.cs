using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Engine.Planning;

namespace Batou.Engine.Execution;

/// <summary>
/// Deploys root components as their dependencies allow, at most <c>jobs</c> at once. After the
/// first failure nothing new starts; what runs finishes; what never started is reported. After a cancel
/// (<c>token</c>) nothing new starts either; <c>kill</c> stops the commands of what still runs.
/// With one job the same schedule runs on the calling thread (RootScheduler.Sequential.cs).
/// </summary>
internal sealed partial class RootScheduler(
    ComponentModel model,
    IReadOnlyDictionary<string, IHostExecutor> hosts,
    int jobs,
    bool predicting,
    Action<DeploymentEvent> emit,
    CancellationToken token,
    CancellationToken kill,
    RootSelection? selection = null)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, jobs));
    private readonly object _gate = new();
    private int _failures;

    /// <summary>Deploys every root; the number of roots that failed. Blocks the calling thread until all ended.</summary>
    public int Run() => jobs <= 1 ? RunSequentially() : RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync()
    {
        var tasks = new Dictionary<RootComponent, Task<bool>>();
        foreach (var root in model.Order)
        {
            var dependencies = model.Graph!.DependenciesOf(root).Select(d => tasks[d]).ToList();
            tasks[root] = RunRootAsync(root, dependencies);
        }
        await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return _failures;
    }

    private async Task<bool> RunRootAsync(RootComponent root, IReadOnlyList<Task<bool>> dependencies)
    {
        var ready = (await Task.WhenAll(dependencies).ConfigureAwait(false)).All(ok => ok);
        if (DeploymentRunner.IgnoreReason(root) is { } reason)
        {
            emit(new RootSkipped(root.Host.Name, root.Name, reason));
            return true;
        }
        if (selection is not null && !selection.Includes(root))
        {
            // left out on purpose (a retry): its dependants may still run, as after its last deployment
            emit(new RootSkipped(root.Host.Name, root.Name, DeploymentRequest.NotSelected));
            return true;
        }
        if (!ready || Failed)
        {
            NotStarted(root);
            return false;
        }
        await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!MayStart(root)) return false;
            var watch = Stopwatch.StartNew();
            await hosts[root.Host.Name].DeployRootAsync(root, new DeploySession(predicting, emit, token, kill)).ConfigureAwait(false);
            emit(new RootFinished(root.Host.Name, root.Name, root.RemoteChanged ?? root.Instance!.Changed, watch.Elapsed));
            return true;
        }
        catch (ComponentFailure failure)
        {
            Fail(root, failure.Error);
            return false;
        }
        catch (OperationCanceledException)
        {
            Fail(root, BatouError.Create("Cancelled", "Deployment cancelled", ("Host", root.Host.Name), ("Component", root.Name)));
            return false;
        }
        finally
        {
            _slots.Release();
        }
    }

    private bool Failed
    {
        get { lock (_gate) return _failures > 0; }
    }

    /// <summary>A root that never started because an earlier one failed is reported, not silently dropped.</summary>
    private void NotStarted(RootComponent root) =>
        emit(new RootSkipped(root.Host.Name, root.Name, "Not started: an earlier component failed"));

    private void Fail(RootComponent root, BatouError error)
    {
        lock (_gate) _failures++;
        emit(new RootFailed(root.Host.Name, root.Name, error));
        emit(new ErrorRaised(error));
    }

    /// <summary>A root that holds the slot starts (announced) unless the run failed or was cancelled (both reported).</summary>
    private bool MayStart(RootComponent root)
    {
        if (Failed)
        {
            NotStarted(root);
            return false;
        }
        if (token.IsCancellationRequested)
        {
            Fail(root, BatouError.Create("Cancelled", "Deployment cancelled before this component started", ("Host", root.Host.Name), ("Component", root.Name)));
            return false;
        }
        emit(new RootScheduled(root.Host.Name, root.Name));
        return true;
    }
}
