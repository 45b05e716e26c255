using System.Diagnostics;
using System.Text.Json;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary><c>batou engine</c> spoken to directly: the lines it writes, and what a closed stdin (a dead caller) does.</summary>
public sealed class EngineProtocolTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private Process Start(string request)
    {
        var info = new ProcessStartInfo(Isolated.Batou, ["engine"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.StandardInput.WriteLine(request);
        process.StandardInput.Flush();
        return process;
    }

    private static string Run(string repo, double grace) =>
        JsonSerializer.Serialize(new { type = "run", request = new { repositoryRoot = repo, environment = "test" }, cancelGraceSeconds = grace })
            .Replace("\"type\"", "\"$type\"", StringComparison.Ordinal);

    /// <summary>Two roots: <c>first</c> takes 3 s to update (and says when it started), <c>second</c> writes a file.</summary>
    private void TwoSlowRoots() =>
        _repo.Component("first", """
            public class First : Component
            {
                protected override void Verify() => throw new UpdateNeeded();
                protected override void Update() { System.IO.File.WriteAllText(Map("../started"), "\n"); System.Threading.Thread.Sleep(3000); System.IO.File.WriteAllText(Map("../first-done"), ""); }
            }
            """).Component("second", """
            public class Second : Component
            {
                protected override void Verify() => throw new UpdateNeeded();
                protected override void Update() => System.IO.File.WriteAllText(Map("../second-done"), "");
            }
            """).LocalEnvironment("first, second");

    [Fact]
    public async Task It_says_hello_with_its_process_group_then_answers_and_exits()
    {
        // a run that takes a few seconds, so its process is still there to be looked at
        TwoSlowRoots();
        using (var running = Start(Run(_repo.Root, 5)))
        {
            var first = JsonDocument.Parse((await running.StandardOutput.ReadLineAsync())!).RootElement;
            Assert.Equal("hello", first.GetProperty("$type").GetString());
            Assert.Equal(running.Id, first.GetProperty("pid").GetInt32());
            var stat = File.ReadAllText($"/proc/{running.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            Assert.Equal(running.Id.ToString(), fields[2]);   // its own process group
            while (await running.StandardOutput.ReadLineAsync() is { } line && !line.Contains("\"done\"", StringComparison.Ordinal)) { }
            Assert.True(running.WaitForExit(30_000));
        }
        _repo.LocalEnvironment("", name: "a").LocalEnvironment("", name: "b");
        using var process = Start($$"""{"$type":"environments","repository":{{JsonSerializer.Serialize(_repo.Root)}}}""");
        var hello = JsonDocument.Parse((await process.StandardOutput.ReadLineAsync())!).RootElement;
        Assert.Equal("hello", hello.GetProperty("$type").GetString());
        var answer = JsonDocument.Parse((await process.StandardOutput.ReadLineAsync())!).RootElement;
        Assert.Equal("environments-result", answer.GetProperty("$type").GetString());
        Assert.Equal(["a", "b", "test"], answer.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.True(process.WaitForExit(10_000));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_closed_stdin_cancels_after_the_running_component()
    {
        TwoSlowRoots();
        using var process = Start(Run(_repo.Root, 30));
        Isolated.WaitForFile(_repo.Work("started"));
        process.StandardInput.Close();
        var lines = new List<string>();
        while (await process.StandardOutput.ReadLineAsync() is { } line) lines.Add(line);
        Assert.True(process.WaitForExit(10_000));
        Assert.True(File.Exists(_repo.Work("first-done")), "the running component did not finish");
        Assert.False(File.Exists(_repo.Work("second-done")), "a component started after the cancel");
        Assert.Equal("{\"$type\":\"done\"}", lines[^1]);
        var events = lines.Where(l => l.StartsWith("{\"$type\":\"event\"", StringComparison.Ordinal))
            .Select(l => EventJson.Deserialize(JsonDocument.Parse(l).RootElement.GetProperty("event").GetRawText())).ToList();
        var finished = Assert.IsType<DeploymentFinished>(events[^1]);
        Assert.False(finished.Success);
        Assert.Contains(events.OfType<RootFailed>(), f => f.Component == "second" && f.Error.Kind == "Cancelled");
    }

    [Fact]
    public async Task A_cancel_through_the_client_lets_the_running_component_finish()
    {
        TwoSlowRoots();
        using var engine = Isolated.Engine();
        using var cancel = new CancellationTokenSource();
        var run = engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test"), cancel.Token);
        Isolated.WaitForFile(_repo.Work("started"));
        await cancel.CancelAsync();
        var result = await run;
        Assert.True(File.Exists(_repo.Work("first-done")));
        Assert.False(File.Exists(_repo.Work("second-done")));
        Assert.False(result.Success);
        Assert.Contains(result.Of<RootFailed>(), f => f.Component == "second" && f.Error.Kind == "Cancelled");
        Assert.DoesNotContain(result.Errors, e => e.Kind.StartsWith("EngineProcess", StringComparison.Ordinal));
    }

    [Fact]
    public void When_its_caller_dies_a_stuck_engine_kills_itself_and_its_children()
    {
        var pidFile = _repo.PathOf("sleep.pid");
        _repo.Component("sleeper", $$"""
            public class Sleeper : Component
            {
                protected override void Verify() => throw new UpdateNeeded();
                protected override void Update()
                {
                    var sleep = System.Diagnostics.Process.Start("sleep", "1000")!;
                    System.IO.File.WriteAllText("{{pidFile}}", sleep.Id + "\n");
                    while (true) { }
                }
            }
            """).LocalEnvironment("sleeper");
        using var process = Start(Run(_repo.Root, 1));
        var sleep = int.Parse(Isolated.WaitForFile(pidFile));
        // what the caller's death does to the pipe
        process.StandardInput.Close();
        var watch = Stopwatch.StartNew();
        Assert.True(process.WaitForExit(30_000), "the engine outlived its caller");
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.5, 20);
        Thread.Sleep(200);
        Assert.False(Isolated.Running(sleep), $"sleep {sleep} outlived the engine");
    }

    public void Dispose() => _repo.Dispose();
}
