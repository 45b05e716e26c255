using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Batou.Engine.Execution;

namespace Batou.Engine.Api;

/// <summary>
/// The narrow API of the engine: the CLI and the dashboard both deploy through
/// <see cref="RunAsync"/> and read the same typed event stream.
/// </summary>
public static class BatouEngine
{
    public static string Version { get; } =
        typeof(BatouEngine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Runs a deployment (or prediction, or consistency check) and streams what happens. Cancelling
    /// <paramref name="cancellationToken"/> starts nothing new; running commands are killed when the grace period
    /// (<c>cancel_grace</c>, else <see cref="DeploymentRequest.CancelGrace"/>) ends.
    /// </summary>
    public static IAsyncEnumerable<DeploymentEvent> RunAsync(DeploymentRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request, cancellationToken, CancellationToken.None);

    /// <summary>
    /// As <see cref="RunAsync(DeploymentRequest, CancellationToken)"/>; cancelling <paramref name="stopNow"/> skips the
    /// rest of the grace period: running commands are killed at once (and nothing new starts).
    /// </summary>
    public static async IAsyncEnumerable<DeploymentEvent> RunAsync(DeploymentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken, CancellationToken stopNow)
    {
        ArgumentNullException.ThrowIfNull(request);
        var channel = Channel.CreateUnbounded<DeploymentEvent>(new UnboundedChannelOptions { SingleReader = true });
        var runner = new DeploymentRunner(request, e => channel.Writer.TryWrite(e), cancellationToken, stopNow);
        // a continuation, not an async lambda with try/finally: each async method costs a dozen JIT-compiled framework
        // methods per run (its state machine is a struct, which ReadyToRun cannot precompile the framework's code for)
        var work = runner.RunAsync();
        _ = work.ContinueWith(_ => { channel.Writer.TryComplete(); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await foreach (var e in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            yield return e;
        await work.ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="RunAsync(DeploymentRequest, CancellationToken, CancellationToken)"/>, for a caller that reads on
    /// its own thread (the CLI): the run works on a thread of its own and <paramref name="onEvent"/> gets every event on
    /// the calling thread, in the same order; returns when the run ended. No async state machine on the way.
    /// </summary>
    public static void Run(DeploymentRequest request, CancellationToken cancellationToken, CancellationToken stopNow, Action<DeploymentEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onEvent);
        var queue = new EventQueue();
        var runner = new DeploymentRunner(request, queue.Add, cancellationToken, stopNow);
        var work = runner.RunAsync();
        _ = work.ContinueWith(_ => queue.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (queue.Take(out var e)) onEvent(e!);
        work.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Loads and configures an environment without deploying: hosts, roots, order, errors, and the
    /// configuration's <see cref="EnvironmentOverview.Fingerprint"/>. Secret values are masked and
    /// hashed with <paramref name="secretSalt"/> (null: a random salt, so hashes compare only within this call).
    /// </summary>
    public static EnvironmentOverview Describe(string repositoryRoot, string environment, string? secretSalt = null) =>
        ModelDescriber.Describe(repositoryRoot, environment, secretSalt);

    /// <summary>The environments of a repository (folders with an environment.cfg).</summary>
    public static IReadOnlyList<string> Environments(string repositoryRoot) =>
        Configuration.EnvironmentLoader.Names(Path.GetFullPath(repositoryRoot));
}
