using Batou.Engine.Api;
using Batou.Engine.Tests.Secrets;

namespace Batou.Engine.Tests.Isolation;

/// <summary>
/// Secrets and the caller's sensitive variables reach the engine process, but never its command
/// line, its environment block (/proc/PID/environ), the overview or the events.
/// </summary>
public sealed class IsolationCanaryTests : SecretsTestBase
{
    private const string Leaky = """
        public sealed class Leaky : Component
        {
            public string Token { get; set; } = "";
            protected override void Configure()
            {
                Log("configuring with " + Token);
                // a hash: the value is not a repository secret, so its diff would show it
                var cloud = System.Environment.GetEnvironmentVariable("AZURE_CLIENT_SECRET") ?? "unset";
                Add(new File("cloud") { Content = System.Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(cloud))) });
            }
            protected override void Verify() => throw new UpdateNeeded("token " + Token + " not applied");
            protected override void Update() => Log("applying " + Token);
        }
        """;

    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly string _cloud = "cloud-" + Guid.NewGuid().ToString("N");
    /// <summary>Tells this test's engine processes from those other tests start meanwhile.</summary>
    private readonly string _mark = Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Secrets_reach_the_engine_process_only_through_its_stdin_and_files()
    {
        Repo.Component("leaky", Leaky).LocalEnvironment("app, leaky");
        WriteSecrets($"[component:app]\npassword = {_canary}\n\n[component:leaky]\ntoken = {_canary}\n");
        // a variable of the caller that is not on the allow list stays behind
        System.Environment.SetEnvironmentVariable("BATOU_ISOLATION_UNRELATED", null);
        System.Environment.SetEnvironmentVariable("UNRELATED_CALLER_SECRET", _canary);
        using var engine = Isolated.Engine(new EngineProcessOptions
        {
            SensitiveVariables = new Dictionary<string, string> { ["AZURE_CLIENT_SECRET"] = _cloud },
            Variables = new Dictionary<string, string> { ["BATOU_CANARY_MARK"] = _mark },
        });
        var seen = new List<string>();
        try
        {
            using (Sample(seen, _mark))
            {
                var overview = await engine.DescribeAsync(Repo.Root, "test");
                Assert.Empty(overview.Errors);
                Assert.Equal("********", overview.Roots.Single(r => r.Component == "leaky").Settings["token"]);
                seen.Add(System.Text.Json.JsonSerializer.Serialize(overview, EventJson.Options));
                var run = await engine.RunToEndAsync(new DeploymentRequest(Repo.Root, "test"));
                Assert.True(run.Success, run.ToString());
                Assert.Contains(run.Events.OfType<LogLine>(), l => l.Text == "applying ********");
                seen.Add(Json(run));
            }
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("UNRELATED_CALLER_SECRET", null);
        }

        Assert.Equal($"port 80\npassword {_canary}\n", Repo.Read("work/app/app.conf"));
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_cloud))), Repo.Read("work/leaky/cloud"));
        Assert.Contains(seen, s => s.StartsWith("environ ", StringComparison.Ordinal) && s.Contains(" engine", StringComparison.Ordinal));
        foreach (var text in seen)
        {
            Assert.DoesNotContain(_canary, text);
            Assert.DoesNotContain(_cloud, text);
        }
    }

    /// <summary>Samples command line and environment block of every <c>batou engine</c> process until disposed.</summary>
    private static IDisposable Sample(List<string> seen, string mark)
    {
        var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var dir in Directory.GetDirectories("/proc"))
                {
                    try
                    {
                        var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                        if (!cmd.EndsWith(" engine", StringComparison.Ordinal)) continue;
                        var environ = File.ReadAllText(Path.Combine(dir, "environ")).Replace('\0', ' ');
                        if (!environ.Contains(mark, StringComparison.Ordinal)) continue;
                        lock (seen) seen.Add($"environ {environ} cmdline {cmd}");
                    }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
                Thread.Sleep(20);
            }
        }) { IsBackground = true };
        thread.Start();
        return new Stopper(() => { stop.Cancel(); thread.Join(); stop.Dispose(); });
    }

    private sealed class Stopper(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }
}
