using Batou.Engine.Api;
using Batou.Web.Data;
using Microsoft.Extensions.Options;

namespace Batou.Web.Ssh;

/// <summary>
/// What a deployment of a repository gets as <see cref="SshOptions"/>: builtin unless the repository (or its
/// environment.cfg) says otherwise, the dashboard's key in memory, and the approved host keys.
/// </summary>
public sealed class DeploymentSsh(DashboardSshKey key, HostKeyStore hostKeys, IOptions<DashboardSshOptions> options)
{
    public async Task<SshOptions> ForAsync(RepositoryEntity repository, CancellationToken ct = default) => new()
    {
        // the repository's choice replaces the dashboard's default; ssh_client in environment.cfg still wins
        DefaultClient = repository.SshClient ?? SshClients.Builtin,
        PrivateKey = key.Key,
        Passphrase = key.Passphrase,
        KnownHosts = await hostKeys.KnownHostsAsync(ct),
        OnlyPinnedHostKeys = options.Value.OnlyPinnedHostKeys,
        // warm unless the environment's ssh_warm says otherwise (validated at start)
        DefaultWarm = Batou.Engine.Util.Durations.ParseWarm(options.Value.Warm),
    };
}
