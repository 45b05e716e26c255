using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// What only the builtin (SSH.NET) client does: its own settings instead of ~/.ssh/config, known_hosts
/// checks (hashed, revoked, unknown, changed), key files with passphrases, keys in memory, jump hosts,
/// and clear errors for hosts that refuse, stay silent or drop the connection.
/// </summary>
[Collection("ssh")]
public sealed class BuiltinTransportTests : IDisposable
{
    private readonly RemoteScenario _s = new();
    private readonly string _keys = Directory.CreateTempSubdirectory("batou-keys-").FullName;
    private TestRepository Repo => _s.Repo;

    private static string Port => System.IO.File.ReadAllLines(SshHosts.SshConfig).First(l => l.Trim().StartsWith("Port ", StringComparison.Ordinal)).Trim()[5..];
    private static string ClientKey => Path.Combine(SshHosts.StateDir, "client_ed25519");
    private static string HostKeyLine => System.IO.File.ReadAllLines(Path.Combine(SshHosts.StateDir, "known_hosts")).First(l => l.Contains("ssh-ed25519", StringComparison.Ordinal));
    private static string HostKeyBase64 => HostKeyLine.Split(' ')[2];

    /// <summary>The test sshd's host key fingerprint, as ssh-keygen prints it.</summary>
    private static string HostFingerprint => GitTestRepo.Shell("ssh-keygen", "-lf", Path.Combine(SshHosts.StateDir, "host_ed25519.pub")).Split(' ')[1];

    private const string Bogus = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    private string KeyFile(string name, string content)
    {
        var path = Path.Combine(_keys, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The test client key, re-encrypted with a passphrase (the server knows its public half).</summary>
    private string EncryptedKey(string passphrase)
    {
        var path = Path.Combine(_keys, "encrypted_ed25519");
        System.IO.File.Copy(ClientKey, path, overwrite: true);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        GitTestRepo.Shell("ssh-keygen", "-q", "-p", "-P", "", "-N", passphrase, "-f", path);
        return path;
    }

    private DeploymentResult Deploy(string hosts, string extra, SshOptions? options = null)
    {
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment(hosts, "ssh_client = builtin\n" + extra);
        return TestRepository.DeployAsync(new DeploymentRequest(Repo.Root, "remote") { Ssh = options }).GetAwaiter().GetResult();
    }

    private static void AssertSuccess(DeploymentResult result) =>
        Assert.True(result.Success, string.Join("\n", result.Errors.Select(e => e.ToString())));

    private static string Said(BatouError error) => error.Details.Single(d => d.Label == "ssh said").Value;

    [Fact]
    public void Batou_settings_alone_reach_a_host_with_hashed_known_hosts_and_no_ssh_config()
    {
        System.IO.File.Delete(Repo.PathOf("ssh_config"));
        var knownHosts = KeyFile("hashed_known_hosts", HostKeyLine + "\n");
        GitTestRepo.Shell("ssh-keygen", "-q", "-H", "-f", knownHosts);
        Assert.StartsWith("|1|", System.IO.File.ReadAllText(knownHosts), StringComparison.Ordinal);

        var result = Deploy("127.0.0.1 = single", $"ssh_user = batou-host1\nssh_port = {Port}\nssh_identity = {ClientKey}\nssh_known_hosts = {knownHosts}\n");
        AssertSuccess(result);
        Assert.Equal("port 5432\nhost 127.0.0.1\nuser batou-host1\n", System.IO.File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));
    }

    [Fact]
    public void An_unknown_host_key_fails_with_its_fingerprint_and_accept_new_records_it()
    {
        var knownHosts = KeyFile("empty_known_hosts", "");
        var unknown = Deploy("host1 = single", $"ssh_known_hosts = {knownHosts}\n");
        Assert.False(unknown.Success);
        Assert.Equal(Phase.Connect, unknown.Finished.FailedDuring);
        var error = unknown.Errors.Single(e => e.Host == "host1");
        Assert.Equal("HostKeyUnknown", error.Kind);
        Assert.Equal(HostFingerprint, error.Details.Single(d => d.Label == "Fingerprint").Value);
        Assert.Contains(HostFingerprint, Said(error));
        Assert.Equal("", System.IO.File.ReadAllText(knownHosts));

        var accepted = Deploy("host1 = single", $"ssh_known_hosts = {knownHosts}\naccept_new_host_keys = true\n");
        AssertSuccess(accepted);
        Assert.Equal($"[127.0.0.1]:{Port} ssh-ed25519 {HostKeyBase64}", System.IO.File.ReadAllText(knownHosts).Trim());
    }

    [Fact]
    public void A_changed_host_key_is_refused_showing_both_fingerprints_even_with_accept_new()
    {
        var knownHosts = KeyFile("changed_known_hosts", $"# a comment\n[127.0.0.1]:{Port} ssh-ed25519 {Bogus}\n");
        var result = Deploy("host1 = single", $"ssh_known_hosts = {knownHosts}\naccept_new_host_keys = true\n");
        Assert.False(result.Success);
        var error = result.Errors.Single(e => e.Host == "host1");
        Assert.Equal("HostKeyChanged", error.Kind);
        var bogus = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(Bogus))).TrimEnd('=');
        Assert.Equal(HostFingerprint, error.Details.Single(d => d.Label == "Fingerprint").Value);
        Assert.Equal($"{bogus} ({knownHosts}:2)", error.Details.Single(d => d.Label == "Known fingerprint").Value);
        Assert.Contains("HOST IDENTIFICATION HAS CHANGED", Said(error));
        Assert.Contains(bogus, Said(error));
        Assert.Contains(HostFingerprint, Said(error));
    }

    [Fact]
    public void Refused_host_keys_are_reported_as_typed_facts_and_a_pinned_key_lets_the_rerun_connect()
    {
        // like the dashboard: no known_hosts files at all, only the keys it pinned
        var unknown = Deploy("host1 = single", "", new SshOptions { OnlyPinnedHostKeys = true, KnownHosts = "" });
        Assert.Equal("HostKeyUnknown", Assert.Single(unknown.Errors, e => e.Host == "host1").Kind);
        var fact = Assert.Single(unknown.Events.OfType<HostKeyUnknown>());
        Assert.Equal(("host1", "127.0.0.1", int.Parse(Port, System.Globalization.CultureInfo.InvariantCulture), "ssh-ed25519", HostFingerprint),
            (fact.Host, fact.Address, fact.Port, fact.KeyType, fact.Fingerprint));
        Assert.Equal($"ssh-ed25519 {HostKeyBase64}", fact.PublicKey);
        // the fact survives the trip through the engine process's JSON
        Assert.Equal(fact, EventJson.Deserialize(EventJson.Serialize(fact)));

        var pinned = Deploy("host1 = single", "", new SshOptions { OnlyPinnedHostKeys = true, KnownHosts = $"[{fact.Address}]:{fact.Port} {fact.PublicKey}\n" });
        AssertSuccess(pinned);
        Assert.Empty(pinned.Events.OfType<HostKeyUnknown>());

        var changed = Deploy("host1 = single", "", new SshOptions { OnlyPinnedHostKeys = true, KnownHosts = $"[127.0.0.1]:{Port} ssh-ed25519 {Bogus}\n" });
        Assert.Equal("HostKeyChanged", Assert.Single(changed.Errors, e => e.Host == "host1").Kind);
        var change = Assert.Single(changed.Events.OfType<HostKeyChanged>());
        var bogus = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(Bogus))).TrimEnd('=');
        Assert.Equal((HostFingerprint, bogus, "ssh-ed25519", "pinned keys:1"), (change.Fingerprint, change.KnownFingerprint, change.KnownKeyType, change.KnownSource));
        Assert.Equal($"ssh-ed25519 {HostKeyBase64}", change.PublicKey);
        Assert.Empty(changed.Events.OfType<HostKeyUnknown>());
    }

    [Fact]
    public void A_revoked_host_key_is_refused_although_it_is_also_listed_as_known()
    {
        var knownHosts = KeyFile("revoked_known_hosts", $"{HostKeyLine}\n@revoked * ssh-ed25519 {HostKeyBase64}\n");
        var result = Deploy("host1 = single", $"ssh_known_hosts = {knownHosts}\n");
        var error = Assert.Single(result.Errors, e => e.Host == "host1");
        Assert.Equal("HostKeyRevoked", error.Kind);
        Assert.Contains("@revoked", Said(error));
    }

    [Fact]
    public void A_passphrase_protected_key_needs_the_right_passphrase_which_never_shows()
    {
        var passphrase = "pass-" + Guid.NewGuid().ToString("N");
        var key = EncryptedKey(passphrase);

        var missing = Deploy("host1 = single", $"ssh_identity = {key}\n");
        var error = Assert.Single(missing.Errors, e => e.Host == "host1");
        Assert.Equal(key, error.Details.Single(d => d.Label == "Private key").Value);
        Assert.Contains("protected by a passphrase", Said(error));

        var wrong = Deploy("host1 = single", $"ssh_identity = {key}\n", new SshOptions { Passphrase = "wrong-" + passphrase });
        error = Assert.Single(wrong.Errors, e => e.Host == "host1");
        Assert.Contains("wrong passphrase", Said(error));
        Assert.DoesNotContain("wrong-", string.Join("\n", wrong.Events.Select(EventJson.Serialize)));

        var right = Deploy("host1 = single", $"ssh_identity = {key}\n", new SshOptions { Passphrase = passphrase });
        AssertSuccess(right);
        Assert.DoesNotContain(passphrase, string.Join("\n", right.Events.Select(EventJson.Serialize)));
    }

    [Fact]
    public void A_key_in_memory_is_used_instead_of_the_identity_files()
    {
        var passphrase = "mem-" + Guid.NewGuid().ToString("N");
        var bytes = System.IO.File.ReadAllBytes(EncryptedKey(passphrase));
        System.IO.File.Delete(Path.Combine(_keys, "encrypted_ed25519"));
        var result = Deploy("host1 = single\nhost2 = single", $"ssh_identity = {Path.Combine(_keys, "does-not-matter")}\n",
            new SshOptions { Client = "builtin", PrivateKey = bytes, Passphrase = passphrase });
        AssertSuccess(result);
        Assert.True(System.IO.File.Exists(_s.OnHost("host2", "work/single/db.conf")));
        Assert.Empty(Directory.GetFiles(_keys));
    }

    [Fact]
    public void A_key_the_server_rejects_is_a_permanent_error_naming_the_key()
    {
        var key = Path.Combine(_keys, "stranger_ed25519");
        GitTestRepo.Shell("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key);
        var result = Deploy("host1 = single", $"ssh_identity = {key}\n");
        var error = Assert.Single(result.Errors, e => e.Host == "host1");
        Assert.Equal("ConnectError", error.Kind);
        Assert.Equal("1", error.Details.Single(d => d.Label == "Attempts").Value);
        Assert.Contains("Permission denied", Said(error));
        Assert.Contains(key, Said(error));
    }

    [Fact]
    public void A_closed_port_and_a_silent_host_fail_naming_host_and_port()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();   // accepts (in the kernel's backlog) and never says a word
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        var watch = Stopwatch.StartNew();
        var result = Deploy("", $"timeout = 2\n[host:host1]\ncomponents = single\nssh_port = 1\n[host:host2]\ncomponents = single\nssh_port = {silentPort}\n");
        watch.Stop();
        Assert.Equal(Phase.Connect, result.Finished.FailedDuring);
        var closed = result.Errors.Single(e => e.Host == "host1");
        Assert.Contains("127.0.0.1:1", Said(closed));
        Assert.Contains("Connection refused", Said(closed));
        var quiet = result.Errors.Single(e => e.Host == "host2");
        Assert.Contains($"127.0.0.1:{silentPort}", Said(quiet));
        Assert.Contains("timed out after 2s", Said(quiet));
        Assert.Equal("3", quiet.Details.Single(d => d.Label == "Attempts").Value);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(40), watch.Elapsed.ToString());
    }

    [Fact]
    public void A_jump_host_forwards_the_connection_and_an_unreachable_one_is_named()
    {
        var through = Deploy("host2 = single", $"jump_host = batou-host1@127.0.0.1:{Port}\n");
        AssertSuccess(through);
        Assert.Equal("port 5432\nhost host2\nuser batou-host2\n", System.IO.File.ReadAllText(_s.OnHost("host2", "work/single/db.conf")));

        var unreachable = Deploy("host2 = single", "timeout = 2\njump_host = nobody@127.0.0.1:1\n");
        var error = Assert.Single(unreachable.Errors, e => e.Host == "host2");
        Assert.Contains("jump host nobody@127.0.0.1:1", Said(error));
        Assert.Contains("Connection refused", Said(error));
    }

    [Fact]
    public void Key_exchange_methods_come_from_ssh_kex_or_the_repository_ssh_config()
    {
        // the test sshd (OpenSSH 9.2) offers sntrup761x25519 and curve25519, not ML-KEM: a method the
        // server lacks makes the handshake fail, which shows the setting reached the client
        AssertSuccess(Deploy("host1 = single", "ssh_kex = curve25519-sha256\n"));
        var lacking = Deploy("host1 = single", "timeout = 5\nssh_kex = mlkem768x25519-sha256\n");
        Assert.Contains("key exchange", Said(Assert.Single(lacking.Errors, e => e.Host == "host1")), StringComparison.OrdinalIgnoreCase);

        System.IO.File.AppendAllText(Repo.PathOf("ssh_config"), "\nHost *\n    KexAlgorithms mlkem768x25519-sha256\n");
        var fromConfig = Deploy("host1 = single", "timeout = 5\n");
        Assert.Contains("key exchange", Said(Assert.Single(fromConfig.Errors, e => e.Host == "host1")), StringComparison.OrdinalIgnoreCase);
        AssertSuccess(Deploy("host1 = single", "ssh_kex = ^curve25519-sha256\n"));   // batou's setting wins over ssh_config

        var none = Deploy("host1 = single", "ssh_kex = no-such-method\n");
        var error = Assert.Single(none.Errors, e => e.Host == "host1");
        Assert.Equal("No key exchange method left to offer", error.Message);
        Assert.Contains("curve25519-sha256", error.Details.Single(d => d.Label == "The builtin client knows").Value);
    }

    [Fact]
    public async Task A_connection_dropped_mid_deployment_fails_that_host_the_others_finish_and_a_rerun_converges()
    {
        using var proxy = new CuttableProxy(int.Parse(Port, System.Globalization.CultureInfo.InvariantCulture));
        var knownHosts = KeyFile("proxy_known_hosts", $"{HostKeyLine}\n[127.0.0.1]:{proxy.Port} ssh-ed25519 {HostKeyBase64}\n");
        Repo.Component("slow", """
            public sealed class Slow : Component
            {
                protected override void Verify() { if (!System.IO.File.Exists("done")) throw new UpdateNeeded("run"); }
                protected override void Update() => Cmd("sleep 3; touch done");
            }
            """).Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single\nhost3 = single", $"ssh_client = builtin\nssh_known_hosts = {knownHosts}\n[host:host2]\ncomponents = slow\nssh_port = {proxy.Port}\n");

        var events = new List<DeploymentEvent>();
        await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(Repo.Root, "remote") { Jobs = 3 }))
        {
            events.Add(e);
            if (e is ComponentNeedsUpdate { Host: "host2" }) proxy.Cut();   // while host2's Cmd sleeps
        }
        var result = new DeploymentResult(events);
        Assert.False(result.Success);
        var lost = Assert.Single(result.Errors, e => e.Host == "host2");
        Assert.Equal("ConnectionLost", lost.Kind);
        Assert.Contains(result.Of<RootFinished>(), r => r.Host == "host1");
        Assert.Contains(result.Of<RootFinished>(), r => r.Host == "host3");
        Assert.True(System.IO.File.Exists(_s.OnHost("host3", "work/single/db.conf")));

        // host2's agent lost its controller: it finishes the running component, then releases the target's lock;
        // until then a re-run is refused (TargetLocked), as a person would see it, and tried again
        DeploymentResult rerun;
        var until = DateTime.UtcNow.AddSeconds(60);
        do
        {
            rerun = await TestRepository.DeployAsync(new DeploymentRequest(Repo.Root, "remote"));
            if (rerun.Success || !rerun.Errors.Any(e => e.Kind == "TargetLocked")) break;
            await Task.Delay(500);
        } while (DateTime.UtcNow < until);
        AssertSuccess(rerun);
        Assert.True(System.IO.File.Exists(_s.OnHost("host2", "work/slow/done")));
    }

    public void Dispose()
    {
        _s.Dispose();
        Directory.Delete(_keys, recursive: true);
    }
}
