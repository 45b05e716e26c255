using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using Batou.Engine.Api;
using Batou.Engine.Util;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Batou.Engine.Remote.Builtin;

/// <summary>
/// SSH in process with SSH.NET (<c>ssh_client = builtin</c>): no ssh binary, keys from files or
/// from memory (never written), host keys checked against known_hosts and pinned keys. One
/// connection per host for the whole deployment (plus one per jump host), keep-alive, a connect
/// timeout, retries with back-off and at most <see cref="MaxHandshakes"/> handshakes at once.
/// </summary>
internal sealed class BuiltinTransport : IRemoteTransport
{
    private const int MaxHandshakes = 4;
    private const int Attempts = 3;
    private static readonly TimeSpan s_keepAlive = TimeSpan.FromSeconds(15);

    private readonly string _baseDir;
    private readonly SshConfigFile _config;
    private readonly bool _acceptNew;
    private readonly SshOptions _options;
    private readonly Func<Host, string?> _passphrase;
    private readonly SemaphoreSlim _handshakes = new(MaxHandshakes);
    private readonly ConcurrentDictionary<string, Lazy<BuiltinConnection>> _connections = new(StringComparer.Ordinal);
    private readonly TimeSpan _connectTimeout;

    /// <param name="passphrase">The key passphrase for a host (from the secrets), read only when a key needs one.</param>
    public BuiltinTransport(string baseDir, string environment, bool acceptNewHostKeys, TimeSpan timeout, SshOptions? options, Func<Host, string?> passphrase)
    {
        _baseDir = baseDir;
        _config = SshConfigFile.Read(new[] { $"ssh_config_{environment}", "ssh_config" }.Select(f => Path.Combine(baseDir, f)).FirstOrDefault(File.Exists));
        _acceptNew = acceptNewHostKeys;
        _options = options ?? new SshOptions();
        _passphrase = passphrase;
        Timeout = timeout;
        _connectTimeout = TimeSpan.FromSeconds(Math.Clamp(timeout.TotalSeconds, 1, 30));
    }

    public string Name => "builtin";
    public TimeSpan Timeout { get; }
    public string? RsyncShell(Host host) => null;

    public ProcessResult Run(Host host, string remoteCommand, CancellationToken token, Stream? input = null, TimeSpan? timeout = null)
    {
        var connection = Connect(host, token);
        try
        {
            using var command = connection.Client.CreateCommand(remoteCommand);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
            limit.CancelAfter(timeout ?? Timeout);
            var execution = command.ExecuteAsync(limit.Token);
            var stdout = ChannelStreams.ReadToEndAsync(command.OutputStream);
            var stderr = ChannelStreams.ReadToEndAsync(command.ExtendedOutputStream);
            try
            {
                using var stdin = command.CreateInputStream();
                input?.CopyTo(stdin);
            }
            catch (Exception e) when (e is IOException or SshException or ObjectDisposedException or InvalidOperationException)
            {
                // the command ended without reading all of its input; its exit code tells
            }
            var timedOut = false;
            try
            {
                execution.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                token.ThrowIfCancellationRequested();
                timedOut = true;
            }
            if (timedOut) return new ProcessResult(-1, "", $"timed out after {(timeout ?? Timeout).TotalSeconds:0}s", true);
            return new ProcessResult(command.ExitStatus ?? 255, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), false);
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or IOException)
        {
            // like ssh's own failures: exit code 255 and the reason on stderr
            return new ProcessResult(255, "", $"ssh (builtin): the connection to {connection.Target.Endpoint} failed: {e.Message}", false);
        }
    }

    public IRemoteProcess Start(Host host, string remoteCommand)
    {
        var connection = Connect(host, CancellationToken.None);
        return new ChannelProcess(connection.Client.CreateCommand(remoteCommand));
    }

    /// <summary>The host's connection, opened on first use and kept for the deployment.</summary>
    private BuiltinConnection Connect(Host host, CancellationToken token)
    {
        var lazy = _connections.GetOrAdd(host.Name, _ => new Lazy<BuiltinConnection>(() => Open(host, token), LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    private BuiltinConnection Open(Host host, CancellationToken token)
    {
        var target = BuiltinTarget.Resolve(host.Fqdn, host.Ssh, _config, _baseDir);
        var known = KnownHosts.Load(_options.OnlyPinnedHostKeys ? [] : target.KnownHostsFiles, _options.KnownHosts);
        var keys = LoadKeys(host, target);
        SshClient? jumpClient = null;
        ForwardedPortLocal? forward = null;
        try
        {
            var (address, port) = (target.Address, target.Port);
            if (target.Jump is { } jump)
            {
                var jumpTarget = BuiltinTarget.Resolve(jump.Host, host.Ssh with { User = jump.User, Port = jump.Port, JumpHost = null }, _config, _baseDir);
                jumpTarget = jumpTarget with { Identities = target.Identities };
                jumpClient = Handshake(host, jumpTarget, jumpTarget.Address, jumpTarget.Port, keys, known, token, $"jump host {jumpTarget.User}@{jumpTarget.Endpoint}: ");
                forward = new ForwardedPortLocal("127.0.0.1", 0, target.Address, (uint)target.Port);
                jumpClient.AddForwardedPort(forward);
                forward.Start();
                (address, port) = ("127.0.0.1", (int)forward.BoundPort);
            }
            var client = Handshake(host, target, address, port, keys, known, token, "");
            return new BuiltinConnection(target, client, jumpClient, forward);
        }
        catch
        {
            forward?.Dispose();
            jumpClient?.Dispose();
            throw;
        }
        finally
        {
            foreach (var key in keys) (key as IDisposable)?.Dispose();
        }
    }

    /// <summary>Connects and authenticates, retrying what may pass (timeouts, refused or dropped connections) with back-off.</summary>
    private SshClient Handshake(Host host, BuiltinTarget target, string address, int port, IReadOnlyList<IPrivateKeySource> keys, KnownHosts known, CancellationToken token, string prefix)
    {
        for (var attempt = 1; ; attempt++)
        {
            AuthenticationMethod auth = keys.Count > 0 ? new PrivateKeyAuthenticationMethod(target.User, [.. keys]) : new NoneAuthenticationMethod(target.User);
            var info = new ConnectionInfo(address, port, target.User, auth) { Timeout = _connectTimeout };
            var check = new HostKeyCheck(known, KnownHosts.LookupName(target.Address, target.Port), target, _acceptNew);
            check.PreferKnownAlgorithms(info);
            KexPreference.Apply(info, target.Kex, host.Name);
            var client = new SshClient(info) { KeepAliveInterval = s_keepAlive };
            client.HostKeyReceived += check.OnHostKey;
            _handshakes.Wait(token);
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
                limit.CancelAfter(_connectTimeout + TimeSpan.FromSeconds(1));
                client.ConnectAsync(limit.Token).GetAwaiter().GetResult();
                return client;
            }
            catch (Exception e) when (e is SshException or SocketException or OperationCanceledException or ProxyException)
            {
                client.Dispose();
                token.ThrowIfCancellationRequested();
                if (check.Failure is { } keyError) throw new HostKeyRefused(keyError(host) with { Host = host.Name }, check.Fact?.Invoke(host));
                var (said, permanent) = Describe(e, target, address == target.Address ? null : "through the jump host");
                if (permanent || attempt == Attempts)
                    throw new BatouException(BatouError.Create("ConnectError", "Could not connect to host",
                        ("Host", host.Name), ("Address", $"{target.User}@{target.Endpoint}"), ("Attempts", attempt.ToString(CultureInfo.InvariantCulture)),
                        ("ssh said", prefix + said)) with { Host = host.Name, SortKey = 0 });
            }
            finally
            {
                _handshakes.Release();
            }
            token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250 * attempt * attempt));
            token.ThrowIfCancellationRequested();
        }
    }

    private (string Said, bool Permanent) Describe(Exception e, BuiltinTarget target, string? via) => e switch
    {
        SshAuthenticationException => ($"Permission denied (publickey) for {target.User}: the server accepted none of {Describe(target)}", true),
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => ($"Could not resolve hostname {target.Address}", true),
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => ($"connect to {target.Endpoint}: Connection refused", false),
        SocketException s => ($"connect to {target.Endpoint}: {s.Message}", false),
        SshOperationTimeoutException or OperationCanceledException =>
            ($"Connection to {target.Endpoint}{(via is null ? "" : " " + via)} timed out after {_connectTimeout.TotalSeconds:0}s (no answer)", false),
        _ => ($"{target.Endpoint}: {e.Message}", false),
    };

    private string Describe(BuiltinTarget target) =>
        _options.PrivateKey is not null ? "the key given in memory"
        : target.Identities.Any(File.Exists) ? string.Join(", ", target.Identities.Where(File.Exists))
        : "no private key (none of " + string.Join(", ", target.Identities) + " exists; set ssh_identity, or IdentityFile in the repository's ssh_config)";

    /// <summary>
    /// The in-memory key, else the identity files (with <c>&lt;file&gt;-cert.pub</c> beside as
    /// certificate). The passphrase comes from the caller or the secrets and is never shown.
    /// </summary>
    private List<IPrivateKeySource> LoadKeys(Host host, BuiltinTarget target)
    {
        var keys = new List<IPrivateKeySource>();
        if (_options.PrivateKey is { } memory)
        {
            keys.Add(LoadKey(host, target, "the key given in memory", passphrase =>
            {
                using var key = new MemoryStream(memory.ToArray(), writable: false);
                if (_options.Certificate is not { } cert) return new PrivateKeyFile(key, passphrase);
                using var certificate = new MemoryStream(cert.ToArray(), writable: false);
                return new PrivateKeyFile(key, passphrase, certificate);
            }));
            return keys;
        }
        foreach (var file in target.Identities)
        {
            if (!File.Exists(file))
            {
                if (target.IdentitiesExplicit)
                    throw KeyError(host, target, file, "the identity file does not exist");
                continue;
            }
            var cert = file + "-cert.pub";
            keys.Add(LoadKey(host, target, file, passphrase => File.Exists(cert) ? new PrivateKeyFile(file, passphrase, cert) : new PrivateKeyFile(file, passphrase)));
        }
        return keys;   // none: the connection is still tried, and authentication fails naming the files looked at
    }

    private PrivateKeyFile LoadKey(Host host, BuiltinTarget target, string what, Func<string?, PrivateKeyFile> load)
    {
        try
        {
            return load(null);
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            var passphrase = _options.Passphrase ?? _passphrase(host);
            if (passphrase is null)
                throw KeyError(host, target, what, "the key is protected by a passphrase and none is configured (ssh_passphrase in the secrets' [host:NAME], or the caller's passphrase)");
            try
            {
                return load(passphrase);
            }
            catch (Exception e) when (e is SshException or ArgumentException or InvalidOperationException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                throw KeyError(host, target, what, "the passphrase does not decrypt the key (wrong passphrase?)");
            }
        }
        catch (Exception e) when (e is SshException or ArgumentException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw KeyError(host, target, what, "not a private key SSH.NET can read");
        }
    }

    private static BatouException KeyError(Host host, BuiltinTarget target, string key, string problem) =>
        new(BatouError.Create("ConnectError", "Could not connect to host",
            ("Host", host.Name), ("Address", $"{target.User}@{target.Endpoint}"), ("Private key", key), ("ssh said", problem)) with { Host = host.Name, SortKey = 0 });

    public void Dispose()
    {
        foreach (var lazy in _connections.Values)
            if (lazy.IsValueCreated) lazy.Value.Dispose();
        _connections.Clear();
        _handshakes.Dispose();
    }
}

/// <summary>One host's open connection (and the jump host's, when it goes through one).</summary>
internal sealed record BuiltinConnection(BuiltinTarget Target, SshClient Client, SshClient? Jump, ForwardedPortLocal? Forward) : IDisposable
{
    public void Dispose()
    {
        try { Client.Disconnect(); } catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException) { }
        Client.Dispose();
        Forward?.Dispose();
        Jump?.Dispose();
    }
}
