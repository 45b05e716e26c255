using Batou.Engine.Tests.Fixtures;
using Batou.Engine.Tests.Remote;

namespace Batou.Engine.Tests.Secrets;

/// <summary>
/// Warm mode and secrets: the decrypted values travel with each session's setup request and are dropped with
/// the session's model. After the run the warm agent's command line, environment and files hold no secret,
/// and no event carries one.
/// </summary>
[Collection("ssh")]
public sealed class WarmCanaryTests : SecretsTestBase
{
    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly string _target = "wc-" + Guid.NewGuid().ToString("N")[..10];
    private readonly WarmAgents _warm = new();

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void The_warm_agent_keeps_no_secret_after_the_run(string client)
    {
        Repo.SshClient = client;
        SshHosts.Prepare(Repo);
        Repo.Environment("test", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\nssh_warm = 30s\n[hosts]\nhost1 = app\n");
        WriteSecrets($"[component:app]\npassword = {_canary}\n");

        var first = Repo.Deploy();
        Assert.True(first.Success, string.Join("\n", first.Errors));
        var second = Repo.Deploy();
        Assert.True(second.Success, string.Join("\n", second.Errors));
        Assert.Equal($"port 80\npassword {_canary}\n", File.ReadAllText(Path.Combine(SshHosts.Home("host1"), _target, "work/app/app.conf")));
        var agent = _warm.Of(second) ?? throw new Xunit.Sdk.XunitException("no warm agent");
        Assert.Equal(_warm.Of(first)?.Pid, agent.Pid);

        Assert.True(WarmAgents.Alive(agent.Pid));
        var cmdline = File.ReadAllText($"/proc/{agent.Pid}/cmdline").Replace('\0', ' ');
        Assert.Contains(" agent --warm-serve ", cmdline, StringComparison.Ordinal);   // it is the warm agent we read
        Assert.DoesNotContain(_canary, cmdline, StringComparison.Ordinal);
        var environ = File.ReadAllText($"/proc/{agent.Pid}/environ");
        Assert.Contains("HOME=", environ, StringComparison.Ordinal);
        Assert.DoesNotContain(_canary, environ, StringComparison.Ordinal);
        var files = Directory.GetFiles(WarmAgents.RunDirectory("host1"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".sock", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);   // its lock file (flocked by it: read with cat, .NET's own read would take a shared flock)
        Assert.All(files, f => Assert.DoesNotContain(_canary, Batou.Engine.Tests.Remote.GitTestRepo.Shell("cat", f), StringComparison.Ordinal));
        Assert.DoesNotContain(_canary, Json(first));
        Assert.DoesNotContain(_canary, Json(second));
    }

    protected override void Dispose(bool disposing)
    {
        _warm.Dispose();
        base.Dispose(disposing);
        var dir = Path.Combine(SshHosts.Home("host1"), _target);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
