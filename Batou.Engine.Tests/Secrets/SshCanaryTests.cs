using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Secrets;

/// <summary>
/// The canary over ssh: decrypted on the controller, carried inside the agent's ssh session, and
/// found afterwards only in the files the component writes on purpose on the host.
/// </summary>
[Collection("ssh")]
public sealed class SshCanaryTests : SecretsTestBase
{
    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly string _target = "sc-" + Guid.NewGuid().ToString("N")[..10];

    private string Remote(string relative) => Path.Combine(SshHosts.Home("host1"), _target, relative);

    private string _ssh = "";

    private void Environment(bool fail) =>
        Repo.Environment("test", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n{_ssh}[hosts]\nhost1 = app, leaky\n[component:leaky]\nfail = {(fail ? "true" : "false")}\n");

    /// <summary>
    /// With the builtin client the ssh key's passphrase comes from the secrets too, and it is the
    /// canary as well: it must not leak either.
    /// </summary>
    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Secrets_reach_the_host_only_in_the_files_written_on_purpose(string client)
    {
        var hostSecrets = "";
        if (client == "builtin")
        {
            var key = Path.Combine(Repo.Root, "deploy_ed25519");
            File.Copy(Path.Combine(SshHosts.StateDir, "client_ed25519"), key);
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Batou.Engine.Tests.Remote.GitTestRepo.Shell("ssh-keygen", "-q", "-p", "-P", "", "-N", _canary, "-f", key);
            _ssh = $"ssh_client = builtin\nssh_identity = {key}\n";
            hostSecrets = $"[host:host1]\nssh_passphrase = {_canary}\n\n";
        }
        Repo.Component("leaky", """
            public sealed class Leaky : Component
            {
                public string Token { get; set; } = "";
                public bool Fail { get; set; }
                protected override void Verify() => throw new UpdateNeeded("token " + Token + " not applied");
                protected override void Update()
                {
                    Log("applying " + Token);
                    if (Fail) Cmd("sleep 1; echo could not apply " + Token + " >&2; exit 3");
                }
            }
            """);
        SshHosts.Prepare(Repo);
        Environment(fail: false);
        WriteSecrets($"{hostSecrets}[component:app]\npassword = {_canary}\n\n[component:leaky]\ntoken = {_canary}\n");
        WriteSecretFile("cert.pem", $"-----BEGIN-----\n{_canary}\n-----END-----\n");

        var seen = new List<string>();
        var processes = new List<string>();
        using var watch = WatchProcesses(processes);
        var deployed = Repo.Deploy();
        Assert.True(deployed.Success, string.Join("\n", deployed.Errors));
        seen.Add(Json(deployed));
        Assert.Equal($"port 80\npassword {_canary}\n", File.ReadAllText(Remote("work/app/app.conf")));
        Assert.Contains(_canary, File.ReadAllText(Remote("work/app/cert.pem")));
        Assert.Contains(deployed.Of<LogLine>(), l => l.Host == "host1" && l.Text == "applying ********");

        seen.Add(Json(Repo.Deploy(mode: DeploymentMode.Predict)));
        Environment(fail: true);
        var failed = Repo.Deploy();
        Assert.False(failed.Success);
        Assert.Contains(failed.Errors, e => (e.Body ?? "").Contains("could not apply ********", StringComparison.Ordinal));
        seen.Add(Json(failed));

        watch.Dispose();
        foreach (var text in seen) Assert.DoesNotContain(_canary, text);
        Assert.Contains(processes, p => p.Contains(" agent", StringComparison.Ordinal));   // the agents on the host were seen running
        Assert.Contains(processes, p => p.StartsWith("environ of /bin/sh -c batou_cmd", StringComparison.Ordinal));   // the host's shell was read while it ran
        Assert.DoesNotContain(processes, p => p.Contains(_canary, StringComparison.Ordinal));
        var onHost = Directory.GetFiles(Path.Combine(SshHosts.Home("host1"), _target), "*", SearchOption.AllDirectories)
            .Where(f => f != Remote("work/app/app.conf") && f != Remote("work/app/cert.pem")).ToList();
        Assert.Contains(Remote("environments/test/secrets.cfg.age"), onHost);
        Assert.All(onHost, f => Assert.DoesNotContain(_canary, System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        if (client == "builtin")   // the key was read in process: no ssh client ran with it
            // (the key file lies in the repository, so the target's file hashing may name it: only an ssh client counts)
            Assert.DoesNotContain(processes, p => p.Contains("deploy_ed25519", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(p, @"^(environ of )?(\S*/)?ssh\s"));
        Assert.False(Directory.Exists(Remote("work/.batou-diffs")));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        var dir = Path.Combine(SshHosts.Home("host1"), _target);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
