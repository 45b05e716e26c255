using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// Warm mode (<c>ssh_warm</c>): the first run leaves an agent listening on the host, later runs hand their
/// session to it through a relay, and it converges exactly as a cold agent; it ends after its idle time, on
/// <c>--no-warm</c>, when another agent binary starts warm, and a killed one means a cold start.
/// </summary>
[Collection("ssh")]
public sealed class WarmModeTests : IDisposable
{
    private readonly RemoteScenario _s = new();
    private readonly WarmAgents _warm = new();
    private TestRepository Repo => _s.Repo;

    private void Warm(string client, string warm = "30s", string extra = "")
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", $"ssh_warm = {warm}\n{extra}");
    }

    private DeploymentResult Deploy(SshOptions? options = null)
    {
        var result = TestRepository.DeployAsync(new DeploymentRequest(Repo.Root, "remote") { Ssh = options ?? Repo.SshOptions }).GetAwaiter().GetResult();
        Assert.True(result.Success, string.Join("\n", result.Errors.Select(e => e.ToString())));
        return result;
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_second_warm_run_reuses_the_agent_and_converges_identically(string client)
    {
        Warm(client);
        var first = _warm.Of(Deploy()) ?? throw new Xunit.Sdk.XunitException("the first run reported no warm agent");
        Assert.Equal("port 5432\nhost host1\nuser batou-host1\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));

        var noop = Deploy();
        var second = _warm.Of(noop);
        Assert.Equal(first.Pid, second?.Pid);
        Assert.Equal(first.Session + 1, second?.Session);
        Assert.All(noop.Of<RootFinished>(), r => Assert.False(r.Changed));
        Assert.Empty(noop.Of<ComponentUpdated>());

        Repo.Component("single", RemoteScenario.Single.Replace("5432", "5433", StringComparison.Ordinal));   // new compiled components
        var changed = Deploy();
        Assert.Equal(first.Pid, _warm.Of(changed)?.Pid);
        Assert.Contains(changed.Of<RootFinished>(), r => r.Changed);
        Assert.StartsWith("port 5433\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));

        Assert.True(WarmAgents.Alive(first.Pid), "the warm agent outlives the runs");
        Assert.Equal("batou-host1", WarmAgents.Owner(first.Pid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(WarmAgents.RunDirectory("host1")));
    }

    private const string Steps = """
        public sealed class Steps : Component
        {
            protected override void Configure() { for (var i = 0; i < 3; i++) Add(new Step { Index = i }); }
        }
        public sealed class Step : Component
        {
            [NotASetting] public int Index { get; set; }
            protected override void Verify() => throw new UpdateNeeded("step " + Index);
            protected override void Update() => Cmd($"sleep 1.5; touch step-{Index}");
        }
        """;

    /// <summary>The warm agent serves one session at a time; the second controller's run gets a cold agent, which meets the target lock.</summary>
    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public async Task A_second_controller_is_refused_with_TargetLocked_while_a_warm_session_runs(string client)
    {
        Repo.Component("steps", Steps);
        _s.Environment("host1 = steps", "ssh_warm = 30s");
        using var other = new TestRepository();
        other.Component("steps", Steps).Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_s.Target}\nssh_warm = 30s\n[hosts]\nhost1 = steps\n");
        SshHosts.Prepare(other, client);
        var options = new SshOptions { DefaultClient = client };
        var events = new List<DeploymentEvent>();
        DeploymentResult? second = null;
        await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(Repo.Root, "remote") { Ssh = options }))
        {
            events.Add(e);
            if (second is null && e is ComponentNeedsUpdate { Breadcrumbs: "Steps > Step" })
                second = await TestRepository.DeployAsync(new DeploymentRequest(other.Root, "remote") { Ssh = options });   // while the first deploys
        }
        var first = new DeploymentResult(events);
        Assert.True(first.Success, string.Join("\n", events));
        Assert.NotNull(_warm.Of(first));
        Assert.NotNull(second);
        Assert.False(second.Success);
        var refused = second.Error("TargetLocked");
        Assert.Equal("host1", refused.Host);
        Assert.Contains($"agent pid {_warm.Of(first)!.Value.Pid}", refused.Details.Single(d => d.Label == "Held by").Value, StringComparison.Ordinal);
        Assert.Null(_warm.Of(second));   // it ran cold
        Assert.True(Deploy(options).Success, "after the session the target can be deployed again");
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Without_ssh_warm_the_agent_runs_cold_as_before(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single");
        Assert.Null(_warm.Of(Deploy()));
        Assert.Null(_warm.Of(Deploy()));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void The_warm_agent_ends_after_its_idle_time(string client)
    {
        Warm(client, "2s");
        var agent = _warm.Of(Deploy()) ?? throw new Xunit.Sdk.XunitException("no warm agent");
        var socket = WarmAgents.SocketOf(agent.Pid);
        Assert.True(File.Exists(socket));
        Assert.True(WarmAgents.Ends(agent.Pid, 30), "the warm agent ended after 2 s idle");
        Assert.False(File.Exists(socket), "and removed its socket");
        Assert.Equal(1, _warm.Of(Deploy())?.Session);   // the next run starts a new one
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void No_warm_ends_the_warm_agent_and_runs_cold(string client)
    {
        Warm(client, "5m");
        var agent = _warm.Of(Deploy()) ?? throw new Xunit.Sdk.XunitException("no warm agent");
        var cold = Deploy(new SshOptions { DefaultClient = client, Warm = TimeSpan.Zero, StopWarm = true });
        Assert.Null(_warm.Of(cold));
        Assert.True(WarmAgents.Ends(agent.Pid, 15), "--no-warm asked the warm agent to end");
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_warm_option_of_the_caller_wins_over_the_environment(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "ssh_warm = 0");
        Assert.NotNull(_warm.Of(Deploy(new SshOptions { DefaultClient = client, Warm = TimeSpan.FromSeconds(20) })));
        Assert.Null(_warm.Of(Deploy(new SshOptions { DefaultClient = client, DefaultWarm = TimeSpan.FromSeconds(20) })));   // ssh_warm = 0 beats a default
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_killed_warm_agent_means_a_cold_start_and_the_run_succeeds(string client)
    {
        Warm(client);
        var agent = _warm.Of(Deploy()) ?? throw new Xunit.Sdk.XunitException("no warm agent");
        var socket = WarmAgents.SocketOf(agent.Pid);
        using (var process = System.Diagnostics.Process.GetProcessById(agent.Pid)) process.Kill();   // SIGKILL: no clean-up at all
        Assert.True(WarmAgents.Ends(agent.Pid, 10));
        Assert.True(File.Exists(socket), "its socket is left behind");

        var next = _warm.Of(Deploy());
        Assert.NotNull(next);
        Assert.NotEqual(agent.Pid, next.Value.Pid);
        Assert.Equal(1, next.Value.Session);
        Assert.Equal("port 5432\nhost host1\nuser batou-host1\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));
    }

    /// <summary>An old build's warm agent (another hash) is asked to end when the current agent starts warm.</summary>
    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_new_agent_binary_replaces_the_old_warm_agent(string client)
    {
        Warm(client);
        var started = _warm.Of(Deploy()) ?? throw new Xunit.Sdk.XunitException("no warm agent");   // installs the current agent (and starts it warm)
        var current = File.ReadAllText($"/proc/{started.Pid}/cmdline").Split('\0')[0];
        _warm.Dispose();   // ends it, so that the next run starts the current build's warm agent anew
        var home = SshHosts.Home("host1");
        var oldHash = new string('0', 31) + "1";
        var old = Path.Combine(home, ".batou", "agent", oldHash, "batou");
        _s.RemoveLater(Path.GetDirectoryName(old)!);
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        File.Copy(current, old, overwrite: true);
        GitTestRepo.Shell("chown", "-R", "batou-host1:", Path.GetDirectoryName(old)!);
        GitTestRepo.Shell("runuser", "-u", "batou-host1", "--", "env", $"HOME={home}", "sh", "-c", $"exec {old} agent --warm-serve 300 </dev/null >/dev/null 2>&1 &");
        var oldSocket = Path.Combine(WarmAgents.RunDirectory("host1"), oldHash + ".sock");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(oldSocket) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        Assert.True(File.Exists(oldSocket), "the old build's warm agent listens");
        var oldPid = OldAgentPid(old);
        _warm.Remember(oldPid);

        var agent = _warm.Of(Deploy());
        Assert.NotNull(agent);
        Assert.NotEqual(oldPid, agent.Value.Pid);
        Assert.True(WarmAgents.Ends(oldPid, 15), "the old build's warm agent ended");
        Assert.False(File.Exists(oldSocket));
    }

    private static int OldAgentPid(string binary)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var dir in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                    if (cmdline is [var exe, "agent", "--warm-serve", ..] && exe == binary) return int.Parse(Path.GetFileName(dir), System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException) { }
            }
            Thread.Sleep(100);
        }
        throw new Xunit.Sdk.XunitException("the old warm agent's process was not found");
    }

    /// <summary>With sudo the warm agent runs as the service user, in the service user's home.</summary>
    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void With_a_service_user_the_warm_agent_runs_as_that_user(string client)
    {
        Warm(client, extra: "service_user = batou-host2");
        var first = _warm.Of(Deploy()) ?? throw new Xunit.Sdk.XunitException("no warm agent");
        Assert.Equal("batou-host2", WarmAgents.Owner(first.Pid));
        Assert.True(File.Exists(WarmAgents.SocketOf(first.Pid)), "it listens");
        Assert.StartsWith(WarmAgents.RunDirectory("host2") + "/", WarmAgents.SocketOf(first.Pid), StringComparison.Ordinal);   // in the service user's home
        var second = _warm.Of(Deploy());
        Assert.Equal(first.Pid, second?.Pid);
        Assert.Equal("batou-host2", GitTestRepo.Owner(Path.Combine(SshHosts.Home("host2"), _s.Target, "work/single/db.conf")));
    }

    public void Dispose()
    {
        _warm.Dispose();
        _s.Dispose();
    }
}
