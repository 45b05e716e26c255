using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>Cancelling a deployment over ssh: the component running on the host finishes, nothing after it starts.</summary>
[Collection("ssh")]
public sealed class CancelTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _target = "cx-" + Guid.NewGuid().ToString("N")[..10];

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public async Task Cancel_stops_after_the_running_component_on_the_host(string client)
    {
        _repo.SshClient = client;
        _repo.Component("steps", """
            public sealed class Steps : Component
            {
                protected override void Configure() { for (var i = 0; i < 5; i++) Add(new Step { Index = i }); }
            }
            public sealed class Step : Component
            {
                [NotASetting] public int Index { get; set; }
                protected override void Verify() => throw new UpdateNeeded("step " + Index);
                protected override void Update() => Cmd($"sleep 1; touch step-{Index}");
            }
            """).Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n[hosts]\nhost1 = steps\n");
        SshHosts.Prepare(_repo, client);

        using var cancel = new CancellationTokenSource();
        var events = new List<DeploymentEvent>();
        await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(_repo.Root, "remote") { Ssh = _repo.SshOptions }, cancel.Token))
        {
            events.Add(e);
            if (e is ComponentNeedsUpdate { Breadcrumbs: "Steps > Step" } && events.OfType<ComponentNeedsUpdate>().Count() == 2)
                await cancel.CancelAsync();   // while the second step runs on the host
        }

        var finished = events.OfType<DeploymentFinished>().Single();
        Assert.False(finished.Success);
        Assert.Contains(events.OfType<ErrorRaised>(), e => e.Error.Kind == "Cancelled" && e.Error.Host is "host1" or null);
        var work = Path.Combine(SshHosts.Home("host1"), _target, "work", "steps");
        Assert.True(File.Exists(Path.Combine(work, "step-0")));
        Assert.True(File.Exists(Path.Combine(work, "step-1")), "the running component finishes");
        Assert.False(File.Exists(Path.Combine(work, "step-4")), "nothing after it starts");
        Assert.True(events.OfType<ComponentUpdated>().Count() < 5);
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public async Task A_command_on_the_host_still_running_when_the_grace_ends_is_killed(string client)
    {
        _repo.SshClient = client;
        _repo.Component("sleeper", """
            public sealed class Sleeper : Component
            {
                protected override void Verify() => throw new UpdateNeeded("sleep");
                protected override void Update() => Cmd("sleep 60 & echo $! > sleep.pid; echo started; wait; touch slept", expand: false);
            }
            """).Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\ncancel_grace = 1s\n[hosts]\nhost1 = sleeper\n");
        SshHosts.Prepare(_repo, client);

        using var cancel = new CancellationTokenSource();
        var events = new List<DeploymentEvent>();
        var watch = new System.Diagnostics.Stopwatch();
        await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(_repo.Root, "remote") { Ssh = _repo.SshOptions }, cancel.Token))
        {
            events.Add(e);
            if (e is CommandOutput { Text: "started" })
            {
                watch.Start();
                await cancel.CancelAsync();   // the agent's command runs on for the grace, then gets stop-now
            }
        }

        Assert.False(events.OfType<DeploymentFinished>().Single().Success);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 20);
        Assert.Equal(TimeSpan.FromSeconds(1), events.OfType<CancelRequested>().First().Grace);
        var work = Path.Combine(SshHosts.Home("host1"), _target, "work", "sleeper");
        Assert.False(File.Exists(Path.Combine(work, "slept")));
        var pid = int.Parse(File.ReadAllText(Path.Combine(work, "sleep.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Isolation.Isolated.Running(pid), $"sleep {pid} on the host outlived the grace period");
    }

    public void Dispose()
    {
        _repo.Dispose();
        var dir = Path.Combine(SshHosts.Home("host1"), _target);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
