namespace Batou.Engine.Api;

/// <summary>What to deploy and how: the CLI's flags and the dashboard's form map onto this.</summary>
public sealed record DeploymentRequest(string RepositoryRoot, string Environment)
{
    /// <summary>The most parallel root deployments <c>jobs</c> and <c>-j</c> accept.</summary>
    public const int MaxJobs = 1000;

    /// <summary>batou's message when <c>-L</c> is given without <c>-P</c> or <c>-c</c>.</summary>
    public const string LocalNeedsCheckOrPredict = "The --local option is only to be used with --consistency-only or --predict-only.";

    public DeploymentMode Mode { get; init; } = DeploymentMode.Deploy;
    /// <summary>Parallel root deployments; null takes the environment's <c>jobs</c>.</summary>
    public int? Jobs { get; init; }
    /// <summary>
    /// Replaces the environment's platform (an empty string means "no platform"); a host with its
    /// own <c>platform =</c> keeps it.
    /// </summary>
    public string? Platform { get; init; }
    /// <summary>
    /// <c>-L</c>: configure (and with <see cref="DeploymentMode.Predict"/> verify) every host on this
    /// machine as <c>connect_method = local</c>, whatever the environment says; nothing is
    /// contacted. Only with <see cref="DeploymentMode.Predict"/> or <see cref="DeploymentMode.ConsistencyOnly"/>.
    /// </summary>
    public bool Local { get; init; }
    /// <summary>Skip repository cleanliness checks (<c>-D</c>).</summary>
    public bool Dirty { get; init; }
    /// <summary>Overrides the environment's <c>timeout</c> (above zero, at most <see cref="Util.Durations.MaxTimeout"/>).</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>
    /// The grace after a cancel (running commands are killed when it ends) for environments that set no
    /// <c>cancel_grace</c>; null: <see cref="Util.Durations.DefaultCancelGrace"/>.
    /// </summary>
    public TimeSpan? CancelGrace { get; init; }
    /// <summary>The ssh client and in-memory credentials a caller such as the dashboard imposes (see docs/remote.md).</summary>
    public SshOptions? Ssh { get; init; }
    /// <summary>
    /// Deploy only these roots: <c>component@host</c>, or a host name for every root of that host (<c>--only</c>; the
    /// dashboard's "Retry failed"). The whole model is still loaded and configured, so resources across hosts and the
    /// order stay what a full deployment has; roots not selected are reported as skipped with <see cref="NotSelected"/>.
    /// Null or empty: every root. A name the environment does not have is an error before anything is contacted.
    /// </summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>The reason of a <see cref="RootSkipped"/> for a root that <see cref="Only"/> left out.</summary>
    public const string NotSelected = "Not selected";
}
