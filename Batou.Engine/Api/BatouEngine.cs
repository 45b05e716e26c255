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

    /// <summary>Runs a deployment (or prediction, or consistency check) and streams what happens.</summary>
    public static async IAsyncEnumerable<DeploymentEvent> RunAsync(DeploymentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var channel = Channel.CreateUnbounded<DeploymentEvent>(new UnboundedChannelOptions { SingleReader = true });
        var runner = new DeploymentRunner(request, e => channel.Writer.TryWrite(e), cancellationToken);
        var work = Task.Run(async () =>
        {
            try
            {
                await runner.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);
        await foreach (var e in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            yield return e;
        await work.ConfigureAwait(false);
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
