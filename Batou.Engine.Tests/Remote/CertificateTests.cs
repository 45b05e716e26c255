using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// OpenSSH certificates with the builtin client, against a private sshd this test starts (and
/// stops) on its own port: the host presents a host certificate (trusted through a
/// <c>@cert-authority</c> known_hosts line), the client logs in with a user certificate
/// (the server has no authorized_keys at all, only the CA).
/// </summary>
[Collection("ssh")]
public sealed class CertificateTests : IDisposable
{
    private readonly RemoteScenario _s = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("batou-cert-sshd-").FullName;
    private Process? _sshd;

    private string At(string name) => Path.Combine(_dir, name);

    private static void Keygen(params string[] args) => GitTestRepo.Shell("ssh-keygen", ["-q", .. args]);

    private int StartSshd()
    {
        Keygen("-t", "ed25519", "-N", "", "-C", "test-ca", "-f", At("ca"));
        Keygen("-t", "ed25519", "-N", "", "-f", At("host"));
        Keygen("-s", At("ca"), "-I", "test-host", "-h", "-n", "127.0.0.1", "-V", "-5m:+1h", At("host.pub"));
        Keygen("-t", "ed25519", "-N", "", "-f", At("user"));
        Keygen("-s", At("ca"), "-I", "test-user", "-n", "batou-host1", "-V", "-5m:+1h", At("user.pub"));
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        File.WriteAllText(At("sshd_config"), $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {At("host")}
            HostCertificate {At("host-cert.pub")}
            TrustedUserCAKeys {At("ca.pub")}
            AuthorizedKeysFile none
            PidFile {At("sshd.pid")}
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            AllowUsers batou-host1
            """);
        var info = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-D", "-e", "-f", At("sshd_config") }) info.ArgumentList.Add(a);
        _sshd = Process.Start(info)!;
        _sshd.ErrorDataReceived += (_, _) => { };
        _sshd.BeginErrorReadLine();
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return port;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new InvalidOperationException("the certificate sshd did not start");
    }

    [Fact]
    public void A_user_certificate_logs_in_and_a_host_certificate_is_trusted_through_its_authority()
    {
        var port = StartSshd();
        var ca = File.ReadAllText(At("ca.pub")).Split(' ');
        var knownHosts = At("known_hosts");
        File.WriteAllText(knownHosts, $"@cert-authority [127.0.0.1]:{port} {ca[0]} {ca[1]}\n");
        _s.Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", $"ssh_client = builtin\nssh_port = {port}\nssh_identity = {At("user")}\nssh_known_hosts = {knownHosts}\n");
        var result = _s.Repo.Deploy("remote");
        Assert.True(result.Success, string.Join("\n", result.Errors.Select(e => e.ToString())));
        Assert.Equal("port 5432\nhost host1\nuser batou-host1\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));

        // the same host without the authority line: its (certified) key is unknown
        File.WriteAllText(knownHosts, "");
        var unknown = _s.Repo.Deploy("remote");
        Assert.Equal("HostKeyUnknown", Assert.Single(unknown.Errors, e => e.Host == "host1").Kind);
    }

    public void Dispose()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill();
            _sshd.WaitForExit();
        }
        _sshd?.Dispose();
        _s.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
