namespace Batou.Engine.Api;

/// <summary>
/// How a caller (the dashboard) wants hosts reached, beyond the repository's settings. A class, not
/// a record, so that no generated ToString ever prints the key or the passphrase.
/// </summary>
public sealed class SshOptions
{
    /// <summary><c>openssh</c> or <c>builtin</c> for every host, whatever the environment says.</summary>
    public string? Client { get; init; }

    /// <summary><c>openssh</c> or <c>builtin</c> where neither <c>[environment]</c> nor <c>[host:NAME]</c> sets <c>ssh_client</c> (the CLI's default is openssh).</summary>
    public string? DefaultClient { get; init; }

    /// <summary>
    /// Warm mode for every host, whatever the environment says (<c>batou deploy --warm 5m</c>; zero = off, <c>--no-warm</c>):
    /// the connection and the agent stay alive this long after the run. See docs/remote.md, "Warm mode".
    /// </summary>
    public TimeSpan? Warm { get; init; }

    /// <summary>Warm mode where neither <c>[environment]</c> nor <c>[host:NAME]</c> sets <c>ssh_warm</c> (the dashboard: 5 minutes; the CLI: off).</summary>
    public TimeSpan? DefaultWarm { get; init; }

    /// <summary>Ask a warm agent (and a persisted OpenSSH master) left by an earlier run to end (<c>--no-warm</c>).</summary>
    public bool StopWarm { get; init; }

    /// <summary>
    /// A private key (OpenSSH or PEM text) for the builtin client, used instead of identity files.
    /// It stays in memory: it is never written to disk.
    /// </summary>
    public ReadOnlyMemory<byte>? PrivateKey { get; init; }

    /// <summary>The passphrase of <see cref="PrivateKey"/> (or of the identity files).</summary>
    public string? Passphrase { get; init; }

    /// <summary>An OpenSSH user certificate for <see cref="PrivateKey"/> (the <c>-cert.pub</c> text).</summary>
    public ReadOnlyMemory<byte>? Certificate { get; init; }

    /// <summary>Host keys in known_hosts form (e.g. keys pinned and approved in the dashboard), trusted besides the known_hosts files.</summary>
    public string? KnownHosts { get; init; }

    /// <summary>Read no known_hosts files at all: only <see cref="KnownHosts"/> counts (a server that pins every key).</summary>
    public bool OnlyPinnedHostKeys { get; init; }
}
