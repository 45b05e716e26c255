using System.Text.RegularExpressions;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// One deployment per target: the agent locks the target directory for its whole run, a second
/// deployment (from another checkout) is refused naming the holder, and an agent whose controller
/// connection ends stops after the component it is running and releases the lock.
/// </summary>
[Collection("ssh")]
public sealed partial class TargetLockTests : IDisposable
{
    private const string Steps = """
        public sealed class Steps : Component
        {
            protected override void Configure() { for (var i = 0; i < 5; i++) Add(new Step { Index = i }); }
        }
        public sealed class Step : Component
        {
            [NotASetting] public int Index { get; set; }
            protected override void Verify() => throw new UpdateNeeded("step " + Index);
            protected override void Update() => Cmd($"sleep 1.5; touch step-{Index}");
        }
        """;

    private readonly TestRepository _first = new();
    private readonly TestRepository _second = new();
    private readonly string _target = "tl-" + Guid.NewGuid().ToString("N")[..10];

    private string OnHost(string relative) => Path.Combine(SshHosts.Home("host1"), _target, relative);

    private void Prepare(TestRepository repo)
    {
        repo.Component("steps", Steps)
            .Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n[hosts]\nhost1 = steps\n");
        SshHosts.Prepare(repo);
    }

    [Fact]
    public async Task A_second_deployment_of_the_same_target_is_refused_naming_the_holder()
    {
        Prepare(_first);
        Prepare(_second);
        var events = new List<DeploymentEvent>();
        DeploymentResult? second = null;
        await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(_first.Root, "remote")))
        {
            events.Add(e);
            if (second is null && e is ComponentNeedsUpdate { Breadcrumbs: "Steps > Step" })
                second = await TestRepository.DeployAsync(new DeploymentRequest(_second.Root, "remote"));   // while the first deploys
        }

        Assert.True(events.OfType<DeploymentFinished>().Single().Success, string.Join("\n", events));
        Assert.NotNull(second);
        Assert.False(second.Success);
        var refused = second.Error("TargetLocked");
        Assert.Equal("host1", refused.Host);
        Assert.Equal("Another deployment is running on this target", refused.Message);
        string Detail(string label) => refused.Details.Single(d => d.Label == label).Value;
        Assert.Equal(OnHost("").TrimEnd('/'), Detail("Target"));
        Assert.Matches(PidPattern(), Detail("Held by"));
        Assert.StartsWith($"{Environment.UserName}@{Environment.MachineName} (from 127.0.0.1)", Detail("Controller"));
        Assert.Matches(TimePattern(), Detail("Since"));
        Assert.Empty(second.Of<ComponentNeedsUpdate>());
        for (var i = 0; i < 5; i++) Assert.True(File.Exists(OnHost($"work/steps/step-{i}")));
        Assert.True(Released(), "the lock is released when the agent ends");
        Assert.True((await TestRepository.DeployAsync(new DeploymentRequest(_second.Root, "remote"))).Success, "and the target can be deployed again");
    }

    [Fact]
    public async Task An_agent_whose_controller_connection_ends_stops_after_the_running_component()
    {
        Prepare(_first);
        var events = new List<DeploymentEvent>();
        await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(_first.Root, "remote")))
        {
            events.Add(e);
            if (e is ComponentNeedsUpdate { Breadcrumbs: "Steps > Step" } && events.OfType<ComponentNeedsUpdate>().Count() == 2)
                KillAgentSsh();   // while the second step runs on the host
        }

        Assert.False(events.OfType<DeploymentFinished>().Single().Success);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Released() && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(Released(), "the agent ended and released the lock");
        await Task.Delay(TimeSpan.FromSeconds(5));   // an agent still deploying would have finished step 4 by now
        Assert.True(File.Exists(OnHost("work/steps/step-0")));
        Assert.False(File.Exists(OnHost("work/steps/step-3")), "nothing after the running component starts");
        Assert.False(File.Exists(OnHost("work/steps/step-4")), "nothing after the running component starts");
    }

    /// <summary>Kills (SIGKILL) the ssh client of this process's agent session, as a lost connection would end it.</summary>
    private static void KillAgentSsh()
    {
        var me = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (parent == me && Path.GetFileName(cmdline.Split(' ')[0]) == "ssh" && cmdline.Contains(" agent", StringComparison.Ordinal))
                {
                    using var ssh = System.Diagnostics.Process.GetProcessById(int.Parse(Path.GetFileName(dir), System.Globalization.CultureInfo.InvariantCulture));
                    ssh.Kill();
                    return;
                }
            }
            catch (IOException) { }
        }
        throw new InvalidOperationException("no ssh process of the agent session found");
    }

    /// <summary>The target's lock file exists and nobody holds its flock.</summary>
    private bool Released()
    {
        var path = OnHost(".batou-lock");
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^agent pid \d+$")]
    private static partial Regex PidPattern();

    [GeneratedRegex(@"^20\d\d-\d\d-\d\d \d\d:\d\d:\d\dZ$")]
    private static partial Regex TimePattern();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        var dir = OnHost("");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
