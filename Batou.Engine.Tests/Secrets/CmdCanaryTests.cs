namespace Batou.Engine.Tests.Secrets;

/// <summary>
/// A secret in a command's text is in no process's command line or environment while the command
/// runs (/proc/*/cmdline and /proc/*/environ are sampled throughout).
/// </summary>
public sealed class CmdCanaryTests : SecretsTestBase
{
    private const string Runner = """
        public sealed class Runner : Component
        {
            public string Token { get; set; } = "";
            protected override void Verify() => throw new UpdateNeeded("always");
            protected override void Update()
            {
                Cmd("sleep 1.5; printf '%s' '" + Token + "' | wc -c > length");
            }
        }
        """;

    private readonly string _canary = "canary" + Guid.NewGuid().ToString("N");

    [Fact]
    public void The_command_text_is_in_no_environment_or_command_line_while_it_runs()
    {
        Repo.Component("runner", Runner).LocalEnvironment("runner");
        WriteSecrets($"[component:runner]\ntoken = {_canary}\n");
        var processes = new List<string>();
        var watch = WatchProcesses(processes);
        var deployed = Repo.Deploy();
        watch.Dispose();

        Assert.True(deployed.Success, deployed.ToString());
        Assert.Equal(_canary.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Repo.Work("runner/length")).Trim());
        Assert.Contains(processes, p => p.StartsWith("sleep 1.5", StringComparison.Ordinal));   // sampled while the command ran
        Assert.Contains(processes, p => p.StartsWith("environ of /bin/sh", StringComparison.Ordinal));   // the shell's environment was read
        var hits = processes.Where(p => p.Contains(_canary, StringComparison.Ordinal)).ToList();
        Assert.True(hits.Count == 0, $"{hits.Count} hit(s) of the canary: {string.Join("\n", hits.Select(h => h[..Math.Min(h.Length, 60)]))}");
    }
}
