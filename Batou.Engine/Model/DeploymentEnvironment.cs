namespace Batou;

/// <summary>The environment being deployed, as components see it.</summary>
public sealed class DeploymentEnvironment
{
    internal DeploymentEnvironment(string name, string baseDir, EnvironmentSettings settings, IReadOnlyList<Host> hosts, IReadOnlyDictionary<string, IReadOnlyList<string>> resolver)
    {
        Name = name;
        BaseDir = baseDir;
        Settings = settings;
        Hosts = hosts;
        Resolver = resolver;
    }

    public string Name { get; }
    /// <summary>The deployment repository's root directory.</summary>
    public string BaseDir { get; }
    public EnvironmentSettings Settings { get; }
    public IReadOnlyList<Host> Hosts { get; }
    /// <summary><c>[resolver]</c> overrides: host name → addresses.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Resolver { get; }
    public string WorkBase => Path.Combine(BaseDir, "work");

    /// <summary>The <c>[vfs]</c> sandbox that <see cref="Component.Map"/> applies to absolute paths.</summary>
    internal Engine.Configuration.PathSandbox? Vfs { get; init; }

    public string? HostDomain => Settings.HostDomain;
    public string? Platform => Settings.Platform;

    /// <summary>
    /// The environment's secret files by name: <c>secret-&lt;name&gt;.age</c> (or <c>.gpg</c>) and
    /// <c>[vault:files]</c>, decrypted on the controller.
    /// </summary>
    public IReadOnlyDictionary<string, string> SecretFiles { get; internal set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Secret values and their longer lines; diffs containing one are not shown.</summary>
    internal HashSet<string> SecretData { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether any text contains a secret value or line (a substring match, unlike batou's word match).</summary>
    internal bool ContainsSecret(params string[] texts) =>
        SecretData.Count > 0 && texts.Any(t => SecretData.Any(s => t.Contains(s, StringComparison.Ordinal)));

    public Host? FindHost(string name) => Hosts.FirstOrDefault(h => h.Name == name);

    public override string ToString() => Name;
}

/// <summary>The <c>[environment]</c> section, typed.</summary>
public sealed record EnvironmentSettings
{
    public string ConnectMethod { get; init; } = "ssh";
    public string UpdateMethod { get; init; } = "rsync";
    public string? HostDomain { get; init; }
    public string? Platform { get; init; }
    public string? ServiceUser { get; init; }
    public bool? RequireSudo { get; init; }
    public string TargetDirectory { get; init; } = "~/deployment";
    public int Jobs { get; init; } = 1;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>
    /// <c>cancel_grace</c>: after a cancel, how long the running component (and a command it runs) may go on before
    /// its commands are killed. Null: the caller's default (<see cref="Api.DeploymentRequest.CancelGrace"/>), else 30 s.
    /// </summary>
    public TimeSpan? CancelGrace { get; init; }
    public string Branch { get; init; } = "main";
    public string? RepositoryUrl { get; init; }
    public string? RepositoryRoot { get; init; }
    public string RequireV4 { get; init; } = "true";
    public string RequireV6 { get; init; } = "false";
    /// <summary>Accept an unknown host key on first contact (ssh <c>accept-new</c>); changed keys are always refused.</summary>
    public bool AcceptNewHostKeys { get; init; }
    /// <summary><c>ssh_client</c>, <c>ssh_user</c>, … of <c>[environment]</c>; hosts may override each (see docs/remote.md).</summary>
    internal SshSettings Ssh { get; init; } = new();
}

/// <summary>
/// How a host is reached over ssh: <c>ssh_client = openssh | builtin</c> and, for the builtin client
/// (which reads no ~/.ssh/config), <c>ssh_user</c>, <c>ssh_port</c>, <c>ssh_identity</c>,
/// <c>ssh_known_hosts</c>, <c>jump_host</c> and <c>ssh_kex</c>; <c>ssh_warm</c> for both. Null means "not set here".
/// </summary>
internal sealed record SshSettings
{
    public string? Client { get; init; }
    public string? User { get; init; }
    public int? Port { get; init; }
    public string? Identity { get; init; }
    public string? KnownHosts { get; init; }
    public string? JumpHost { get; init; }
    /// <summary>Key exchange methods the builtin client offers, in ssh's <c>KexAlgorithms</c> form.</summary>
    public string? Kex { get; init; }
    /// <summary><c>ssh_warm</c>: keep the connection and the agent alive this long after a run (zero: off).</summary>
    public TimeSpan? Warm { get; init; }

    /// <summary>These settings with <paramref name="fallback"/>'s where they are not set.</summary>
    public SshSettings Or(SshSettings fallback) => new()
    {
        Client = Client ?? fallback.Client,
        User = User ?? fallback.User,
        Port = Port ?? fallback.Port,
        Identity = Identity ?? fallback.Identity,
        KnownHosts = KnownHosts ?? fallback.KnownHosts,
        JumpHost = JumpHost ?? fallback.JumpHost,
        Kex = Kex ?? fallback.Kex,
        Warm = Warm ?? fallback.Warm,
    };
}
