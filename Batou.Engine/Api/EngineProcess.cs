using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Batou.Engine.Isolation;

namespace Batou.Engine.Api;

/// <summary>
/// The engine API of <see cref="BatouEngine"/>, but every call runs in a separate
/// <c>batou engine</c> process (its own process group, limited in time and memory, optionally as
/// another OS user): repository code that exits, overflows its stack, crashes a thread or never
/// returns ends as an error of that call, and the caller keeps running. With a pool
/// (<see cref="EngineProcessOptions.PoolSize"/>) the processes are started and warmed up ahead of
/// time, each still serving exactly one call. See docs/engine-process.md.
/// </summary>
public sealed class EngineProcess(EngineProcessOptions? options = null) : IDisposable
{
    /// <summary>How long past the kill of its commands a cancelled engine may take to report and end.</summary>
    private static readonly TimeSpan s_killSlack = TimeSpan.FromSeconds(3);
    private readonly EngineProcessOptions _options = options ?? new EngineProcessOptions();
    private readonly ConcurrentDictionary<EngineChild, byte> _live = new();
    private readonly EnginePool? _pool = options is { PoolSize: not 0 } ? new EnginePool(options) : null;   // validates the pool settings
    private volatile bool _disposed;

    /// <summary>Engine process ids of the pooled processes waiting for a request (<see cref="EngineProcessOptions.PoolSize"/>).</summary>
    public IReadOnlyList<int> IdlePids => _pool?.IdlePids ?? [];

    /// <summary>As <see cref="BatouEngine.Describe"/>; a failed engine process is an error of the overview.</summary>
    public async Task<EnvironmentOverview> DescribeAsync(string repositoryRoot, string environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        var (result, error) = await CallAsync(new DescribeCall(Path.GetFullPath(repositoryRoot), environment, Sensitive(), Seconds(_options.DescribeLimit), _options.SecretSalt),
            cancellationToken).ConfigureAwait(false);
        return result is OverviewResult overview ? overview.Overview : new EnvironmentOverview(environment, [], [], [error!], []);
    }

    /// <summary>As <see cref="BatouEngine.Environments"/>; a failed engine process throws a <see cref="BatouException"/>.</summary>
    public async Task<IReadOnlyList<string>> EnvironmentsAsync(string repositoryRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        var (result, error) = await CallAsync(new EnvironmentsCall(Path.GetFullPath(repositoryRoot), Sensitive(), Seconds(_options.DescribeLimit)),
            cancellationToken).ConfigureAwait(false);
        return result is EnvironmentsResult names ? names.Names : throw new BatouException(error!);
    }

    /// <summary>
    /// As <see cref="BatouEngine.RunAsync(DeploymentRequest, CancellationToken)"/>: the same events, always ending with
    /// <see cref="DeploymentFinished"/>. Cancelling asks the engine to stop after the running component; its commands
    /// are killed when the grace period ends (the environment's <c>cancel_grace</c>, else <see cref="EngineProcessOptions.CancelGrace"/>),
    /// and the engine process a little later if it has not ended by then.
    /// </summary>
    public IAsyncEnumerable<DeploymentEvent> RunAsync(DeploymentRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request, cancellationToken, CancellationToken.None);

    /// <summary>As <see cref="RunAsync(DeploymentRequest, CancellationToken)"/>; <paramref name="stopNow"/> skips the rest of the grace period.</summary>
    public async IAsyncEnumerable<DeploymentEvent> RunAsync(DeploymentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken, CancellationToken stopNow)
    {
        ArgumentNullException.ThrowIfNull(request);
        var full = request with { RepositoryRoot = Path.GetFullPath(request.RepositoryRoot), CancelGrace = request.CancelGrace ?? _options.CancelGrace };
        var child = Launch(new RunCall(full, _options.CancelGrace.TotalSeconds, Sensitive(), Seconds(_options.RunLimit)));
        var clean = false;
        DeploymentFinished? finished = null;
        BatouError? failure = null;
        try
        {
            using var guard = new ChildGuard(child)
                .Limit(_options.ConfigureLimit, "EngineProcessOptions.ConfigureLimit", untilConfigured: true)
                .Limit(_options.RunLimit, "EngineProcessOptions.RunLimit");
            // until the engine says which grace applies (its first CancelRequested), the caller's default holds
            using var cancel = cancellationToken.Register(() =>
            {
                guard.Cancelled(full.CancelGrace.Value + s_killSlack);
                child.Send(new CancelCall());
            });
            using var now = stopNow.Register(() =>
            {
                guard.Cancelled(s_killSlack);
                child.Send(new StopNowCall());
            });
            await foreach (var message in child.Messages.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (message is RunDone)
                {
                    clean = true;
                    break;
                }
                if (message is EngineFailure engineFailure) failure = engineFailure.Error;
                if (message is not EngineEvent { Event: var e } || finished is not null) continue;
                if (e is DeploymentFinished f) finished = f;
                if (e is CancelRequested cancelling) guard.Cancelled(cancelling.Grace + s_killSlack);
                yield return e;
            }
            if (!clean && finished is null)
            {
                var error = guard.TimedOut ?? failure ?? await EndedAsync(child).ConfigureAwait(false);
                yield return new ErrorRaised(error);
                yield return new DeploymentFinished(false, request.Mode, child.Activity.Phase ?? Phase.Load, 1, TimeSpan.Zero, TimeSpan.Zero);
            }
        }
        finally
        {
            Release(child, killGroup: !clean);
        }
    }

    /// <summary>Kills every engine process still running and every idle pooled one (the caller shuts down).</summary>
    public void Dispose()
    {
        _disposed = true;
        _pool?.Dispose();
        // the callers' loops see the end of the output, report it and release their child
        foreach (var child in _live.Keys) child.Kill();
    }

    private async Task<(EngineMessage? Result, BatouError? Error)> CallAsync(EngineCall call, CancellationToken token)
    {
        var child = Launch(call);
        try
        {
            using var guard = new ChildGuard(child).Limit(_options.DescribeLimit, "EngineProcessOptions.DescribeLimit");
            // a describe cannot stop half-way: cancelling kills it
            using var cancel = token.Register(child.Kill);
            await foreach (var message in child.Messages.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                switch (message)
                {
                    case OverviewResult or EnvironmentsResult:
                        return (message, null);
                    case EngineFailure failure:
                        return (null, failure.Error);
                }
            token.ThrowIfCancellationRequested();
            return (null, guard.TimedOut ?? await EndedAsync(child).ConfigureAwait(false));
        }
        finally
        {
            Release(child, killGroup: true);
        }
    }

    private EngineChild Launch(EngineCall call)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // a pooled process serves this one request and is never handed out again
        EngineChild child;
        if (_pool?.TryTake() is { } pooled)
        {
            child = pooled;
            child.Send(call);
        }
        else child = EngineChild.Start(_options, call);
        _live[child] = 0;
        return child;
    }

    private void Release(EngineChild child, bool killGroup)
    {
        if (_live.TryRemove(child, out _)) child.Dispose(killGroup);
    }

    /// <summary>How the child ended when its output stopped without an answer.</summary>
    private static async Task<BatouError> EndedAsync(EngineChild child)
    {
        if (child.Killed) return ChildFailure.Stopped(child.Activity);
        var exit = child.WaitForExitAsync();
        if (await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != exit)
        {
            child.Kill();
            return ChildFailure.Protocol("it closed its output but kept running");
        }
        // what it started may still hold stderr open: kill them, then read what the runtime said
        child.Kill();
        await child.StderrDrainedAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        return ChildFailure.Ended(await exit.ConfigureAwait(false), child.Activity, child.StderrTail);
    }

    private Dictionary<string, string>? Sensitive() =>
        _options.SensitiveVariables.Count == 0 ? null : new Dictionary<string, string>(_options.SensitiveVariables, StringComparer.Ordinal);

    private static double? Seconds(TimeSpan? limit) => limit?.TotalSeconds;
}
