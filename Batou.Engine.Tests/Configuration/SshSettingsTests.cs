using System.Security.Cryptography;
using System.Text;
using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Remote.Builtin;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Configuration;

/// <summary><c>ssh_client</c> and the builtin client's settings, its ssh_config subset and its known_hosts matching.</summary>
public sealed class SshSettingsTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private (EnvironmentConfig? Config, List<BatouError> Errors) Load(string cfg)
    {
        _repo.Environment("env", cfg);
        var errors = new List<BatouError>();
        var config = EnvironmentLoader.Load(_repo.Root, "env", errors, []);
        return (config, errors);
    }

    [Fact]
    public void Ssh_settings_are_read_and_a_host_section_overrides_them()
    {
        var (config, errors) = Load("""
            [environment]
            ssh_client = builtin
            ssh_user = deploy
            ssh_port = 2222
            ssh_identity = keys/deploy_ed25519
            jump_host = jump@bastion.example.com:2200

            [host:web1]
            components = hello
            ssh_client = openssh
            ssh_port = 22

            [host:web2]
            components = hello
            """);
        Assert.Empty(errors);
        var web1 = config!.Hosts.Single(h => h.Host.Name == "web1").Host.Ssh;
        var web2 = config.Hosts.Single(h => h.Host.Name == "web2").Host.Ssh;
        Assert.Equal(("openssh", 22, "deploy"), (web1.Client, web1.Port, web1.User));
        Assert.Equal(("builtin", 2222, "keys/deploy_ed25519", "jump@bastion.example.com:2200"), (web2.Client, web2.Port, web2.Identity, web2.JumpHost));
    }

    [Theory]
    [InlineData("ssh_client = putty", "openssh, builtin")]
    [InlineData("ssh_port = 99999", "TCP port")]
    [InlineData("ssh_user = -oProxyCommand=x", "user name")]
    [InlineData("jump_host = -oProxyCommand=touch", "[user@]host[:port]")]
    [InlineData("ssh_kex = curve25519-sha256 sntrup761x25519-sha512", "KexAlgorithms")]
    [InlineData("ssh_warm = forever", "a duration from 0 (off) to 24h")]
    [InlineData("ssh_warm = 2d", "a duration from 0 (off) to 24h")]
    [InlineData("ssh_warm = -5m", "a duration from 0 (off) to 24h")]
    public void Bad_ssh_values_name_the_file_and_line(string line, string expected)
    {
        var (_, errors) = Load($"[environment]\nconnect_method = ssh\n\n[host:web1]\ncomponents = hello\n{line}\n");
        var error = Assert.Single(errors);
        Assert.Equal("InvalidSetting", error.Kind);
        Assert.Equal(("environments/env/environment.cfg", 6), (error.File, error.Line));
        Assert.Contains(expected, error.Details.Single(d => d.Label == "Expected").Value);
    }

    [Fact]
    public void Ssh_warm_is_read_per_environment_and_host_and_the_callers_choice_wins()
    {
        var (config, errors) = Load("""
            [environment]
            ssh_warm = 5m

            [host:web1]
            components = hello
            ssh_warm = 0

            [host:web2]
            components = hello
            """);
        Assert.Empty(errors);
        var web1 = config!.Hosts.Single(h => h.Host.Name == "web1").Host;
        var web2 = config.Hosts.Single(h => h.Host.Name == "web2").Host;
        Assert.Equal(TimeSpan.Zero, web1.Ssh.Warm);
        Assert.Equal(TimeSpan.FromMinutes(5), web2.Ssh.Warm);
        Assert.Equal(TimeSpan.Zero, Batou.Engine.Remote.Transports.WarmFor(web1, new SshOptions { DefaultWarm = TimeSpan.FromMinutes(1) }));
        Assert.Equal(TimeSpan.FromSeconds(90), Batou.Engine.Remote.Transports.WarmFor(web1, new SshOptions { Warm = TimeSpan.FromSeconds(90) }));
        Assert.Equal(TimeSpan.FromMinutes(5), Batou.Engine.Remote.Transports.WarmFor(web2, null));
    }

    [Fact]
    public void The_builtin_client_reads_the_simple_ssh_config_keywords_and_batou_settings_win()
    {
        _repo.Write("ssh_config", """
            # first value wins, as in ssh
            Host web* !web9
                HostName %h.internal
                User alice
                IdentityFile keys/alice
            Match exec "true"
                User mallory
            Host *
                Port 2022
                User bob
                UserKnownHostsFile ~/pinned_hosts
                ProxyJump carol@bastion:2200
            """);
        var config = SshConfigFile.Read(_repo.PathOf("ssh_config"));
        var web1 = BuiltinTarget.Resolve("web1", new SshSettings(), config, _repo.Root);
        Assert.Equal(("web1.internal", 2022, "alice"), (web1.Address, web1.Port, web1.User));
        Assert.Equal([_repo.PathOf("keys/alice")], web1.Identities);
        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, "pinned_hosts"), web1.KnownHostsFiles[0]);
        Assert.Equal(new SshEndpoint("carol", "bastion", 2200), web1.Jump);

        var web9 = BuiltinTarget.Resolve("web9", new SshSettings { User = "deploy", Port = 22, JumpHost = "none" }, config, _repo.Root);
        Assert.Equal(("web9", 22, "deploy", (SshEndpoint?)null), (web9.Address, web9.Port, web9.User, web9.Jump));
    }

    [Fact]
    public void Key_exchange_lists_replace_prefer_and_remove_as_ssh_reads_KexAlgorithms()
    {
        static IReadOnlyList<string> Offered(string? spec)
        {
            var info = new Renci.SshNet.ConnectionInfo("example", 22, "u", new Renci.SshNet.NoneAuthenticationMethod("u"));
            KexPreference.Apply(info, spec, "web1");
            return [.. info.KeyExchangeAlgorithms.Keys];
        }
        var own = Offered(null);
        Assert.Contains("sntrup761x25519-sha512", own);
        Assert.Equal(["ecdh-sha2-nistp256", "curve25519-sha256"], Offered("ecdh-sha2-nistp256,curve25519-sha256"));
        var preferred = Offered("^curve25519-sha256");
        Assert.Equal("curve25519-sha256", preferred[0]);
        Assert.Equal(own.Count, preferred.Count);
        Assert.DoesNotContain(Offered("-sntrup*,mlkem*"), n => n.StartsWith("sntrup", StringComparison.Ordinal) || n.StartsWith("mlkem", StringComparison.Ordinal));
        Assert.Equal(own, Offered("+curve25519-sha256"));
        var error = Assert.Single(Assert.Throws<BatouException>(() => Offered("no-such-method")).Errors);
        Assert.Equal(("web1", "No key exchange method left to offer"), (error.Host, error.Message));
    }

    [Fact]
    public void Known_hosts_match_plain_hashed_wildcard_negated_and_port_forms()
    {
        var key = Convert.ToBase64String(Encoding.ASCII.GetBytes("a host key"));
        var salt = RandomNumberGenerator.GetBytes(20);
        var hashed = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes("[db.example.com]:2222")))}";
        var known = KnownHosts.Load([], $"""
            web1.example.com,10.0.0.1 ssh-ed25519 {key}
            {hashed} ssh-ed25519 {key}
            *.test,!bad.test ssh-ed25519 {key}
            """);
        Assert.NotEmpty(known.For(KnownHosts.LookupName("web1.example.com", 22)));
        Assert.Empty(known.For(KnownHosts.LookupName("web1.example.com", 2222)));
        Assert.NotEmpty(known.For(KnownHosts.LookupName("db.example.com", 2222)));
        Assert.Empty(known.For(KnownHosts.LookupName("db.example.com", 22)));
        Assert.NotEmpty(known.For("good.test"));
        Assert.Empty(known.For("bad.test"));
        Assert.Equal(HostKeyVerdict.Trusted, known.Check("10.0.0.1", "ssh-ed25519", Convert.FromBase64String(key)).Verdict);
        var (verdict, entry) = known.Check("10.0.0.1", "ssh-ed25519", Encoding.ASCII.GetBytes("another key"));
        Assert.Equal(HostKeyVerdict.Changed, verdict);
        Assert.Equal("pinned keys:1", entry!.Source);
        Assert.Equal(HostKeyVerdict.Unknown, known.Check("10.0.0.2", "ssh-ed25519", Convert.FromBase64String(key)).Verdict);
    }

    public void Dispose() => _repo.Dispose();
}
