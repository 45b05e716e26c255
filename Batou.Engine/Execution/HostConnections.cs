using Batou.Engine.Api;
using Batou.Engine.Planning;
using Batou.Engine.Remote;

namespace Batou.Engine.Execution;

/// <summary>
/// The executors of one deployment's hosts: in-process for <c>connect_method = local</c>; for ssh
/// an agent per host, connected in parallel (at most <see cref="MaxParallelConnects"/> opening at once).
/// </summary>
internal sealed class HostConnections(ComponentModel model, string? platform, Action<DeploymentEvent> emit, CancellationToken token, SshOptions? sshOptions = null) : IDisposable
{
    private const int MaxParallelConnects = 8;
    private readonly Dictionary<string, IHostExecutor> _executors = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _owned = [];

    public IReadOnlyDictionary<string, IHostExecutor> Executors => _executors;

    /// <summary>
    /// Connects every host. <paramref name="configured"/> is the controller's configure step running
    /// meanwhile (true when it succeeded): hosts are reached, their agents started and locked in
    /// parallel with it, but nothing is transferred to a host before it succeeded.
    /// </summary>
    public async Task<IReadOnlyList<BatouError>> ConnectAsync(Task<bool>? configured = null)
    {
        configured ??= Task.FromResult(true);
        if (TryConnectLocal()) return [];
        var hosts = model.Environment.Hosts.Where(h => !h.Ignore).ToList();
        var agent = AgentBinary.Locate();
        var fingerprint = new TransferFingerprint(model, configured, token);
        fingerprint.Start();   // hashed while the hosts are reached
        var connectors = new Dictionary<string, RemoteConnector>(StringComparer.Ordinal);
        RemoteConnector ConnectorFor(Host host)
        {
            var name = Transports.ClientFor(host, sshOptions);
            if (!connectors.TryGetValue(name, out var connector))
            {
                var transport = Transports.Create(name, model, sshOptions);
                _owned.Add(transport);
                connectors[name] = connector = new RemoteConnector(model, transport, agent, fingerprint, configured, token, sshOptions);
            }
            return connector;
        }
        var connectorOf = hosts.ToDictionary(h => h.Name, ConnectorFor, StringComparer.Ordinal);
        var hostKeys = new System.Collections.Concurrent.ConcurrentDictionary<string, DeploymentEvent>(StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(MaxParallelConnects);
        EnoughThreads(hosts.Count);
        var results = await Task.WhenAll(hosts.Select(async host =>
        {
            await slots.WaitAsync(token).ConfigureAwait(false);
            try
            {
                return await Task.Run(() => connectorOf[host.Name].ConnectAsync(host, platform), token).ConfigureAwait(false);
            }
            catch (Remote.Builtin.HostKeyRefused e)
            {
                if (e.Fact is { } fact) hostKeys[host.Name] = fact;
                return (null, e.Errors, []);
            }
            catch (BatouException e)
            {
                return (null, e.Errors, []);
            }
            catch (ComponentFailure f)
            {
                return (null, [f.Error], []);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);

        var errors = new List<BatouError>();
        for (var i = 0; i < hosts.Count; i++)
        {
            var (client, hostErrors, warnings) = results[i];
            foreach (var warning in warnings) emit(new WarningRaised(warning with { Host = hosts[i].Name }));
            if (hostKeys.TryGetValue(hosts[i].Name, out var hostKey)) emit(hostKey);
            errors.AddRange(hostErrors);
            if (client is null) continue;
            if (client.Warm is { } warm)
                emit(new LogLine(hosts[i].Name, null, warm.Session == 1
                    ? $"warm agent started (pid {warm.Pid})"
                    : $"warm agent reused (pid {warm.Pid}, session {warm.Session})"));
            _owned.Add(client);
            _executors[hosts[i].Name] = client;
        }
        return errors;
    }

    /// <summary>
    /// <c>connect_method = local</c>: every host that is not ignored gets the in-process executor, at once (nothing to
    /// reach, nothing to report); false for any other method, which <see cref="ConnectAsync"/> connects.
    /// </summary>
    public bool TryConnectLocal()
    {
        if (model.Environment.Settings.ConnectMethod != "local") return false;
        foreach (var host in model.Environment.Hosts)
            if (!host.Ignore) _executors[host.Name] = new LocalHostExecutor();
        return true;
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) owned.Dispose();
    }

    /// <summary>
    /// Connecting a host blocks its thread on ssh round trips (the probe, the agent upload, the transfer), and
    /// the builtin client completes those round trips on thread-pool threads. With several hosts connecting at
    /// once the pool (as many threads as cores at first, one more about every half second) starved: 16 hosts'
    /// no-op took 14.5 s against 11.2 s with 64 threads from the start (6 interleaved rounds, load ~40;
    /// bench/results/2026-12-01-ssh-notes.md). Each host gets its threads up front.
    /// </summary>
    private static void EnoughThreads(int hosts)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = Math.Min(hosts * 4 + System.Environment.ProcessorCount, 256);
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, io);
    }
}
