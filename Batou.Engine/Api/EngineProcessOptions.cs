namespace Batou.Engine.Api;

/// <summary>
/// How <see cref="EngineProcess"/> starts <c>batou engine</c>: which executable, which limits,
/// as which OS user, with which environment. See docs/engine-process.md.
/// </summary>
public sealed record EngineProcessOptions
{
    /// <summary>
    /// The <c>batou</c> executable (or its <c>batou.dll</c>, run with <c>dotnet</c>). Null: the
    /// <c>BATOU_ENGINE</c> variable, else <c>batou</c> (or <c>batou.dll</c>) next to the running
    /// application, else <c>batou</c> on the PATH.
    /// </summary>
    public string? Executable { get; init; }

    /// <summary>Wall-clock limit of a describe or an environment listing.</summary>
    public TimeSpan DescribeLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Wall-clock limit of a run until its model is configured (loading, compiling, secrets, Configure()).</summary>
    public TimeSpan ConfigureLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Wall-clock limit of a whole run; null for none.</summary>
    public TimeSpan? RunLimit { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// After a cancel, how long the running component may go on before its commands are killed, for environments
    /// that set no <c>cancel_grace</c> (the dashboard's <c>Batou:Engine:CancelGrace</c>). The engine process itself is
    /// killed 3 s after that if it has not ended.
    /// </summary>
    public TimeSpan CancelGrace { get; init; } = Util.Durations.DefaultCancelGrace;

    /// <summary>
    /// Limit of the engine's managed heap (<c>DOTNET_GCHeapHardLimit</c>): repository code that
    /// allocates more gets an <see cref="OutOfMemoryException"/>, reported as its error. Null: no limit.
    /// </summary>
    public long? MemoryLimitBytes { get; init; } = 2L << 30;

    /// <summary>
    /// Limit of the engine's address space (<c>prlimit --as</c>), inherited by every command a
    /// component runs; .NET itself needs about 2 GiB of it. Null (the default): no limit.
    /// </summary>
    public long? AddressSpaceLimitBytes { get; init; }

    /// <summary>
    /// Run the engine as this OS user: <c>runuser -u</c> when the caller is root, else
    /// <c>sudo -n -u</c> (needs a sudoers rule). Null: the caller's user.
    /// </summary>
    public string? User { get; init; }

    /// <summary>More environment variables for the engine (visible in its environment block: nothing secret).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The salt of secret digests and configuration fingerprints in descriptions (sent on stdin). Keep one per
    /// installation so fingerprints compare across restarts. Null: a random salt per description.
    /// </summary>
    public string? SecretSalt { get; init; }

    /// <summary>Environment variables the engine sets for itself after start, sent on its stdin (cloud credentials).</summary>
    public IReadOnlyDictionary<string, string> SensitiveVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// How many <c>batou engine</c> processes are started ahead of time, warmed up and waiting for a
    /// request. Each serves exactly one request and is never reused; taking one starts its
    /// replacement. 0 (the default): a process is started per request.
    /// </summary>
    public int PoolSize { get; init; }

    /// <summary>How long a pooled process may wait for its request before it is replaced by a fresh one.</summary>
    public TimeSpan PoolIdleLifetime { get; init; } = TimeSpan.FromMinutes(10);
}
