using System.Diagnostics;
using System.Globalization;
using Batou.Engine.Api;

// usage: EngineProcessBench REPOSITORY ENVIRONMENT [RUNS]
// Times describe and a no-op deployment in process and through `batou engine`; prints a Markdown table.
var repo = args[0];
var environment = args[1];
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
using var engine = new EngineProcess();

async Task<bool> RunInProcess()
{
    DeploymentFinished? finished = null;
    await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(repo, environment)))
        if (e is DeploymentFinished f) finished = f;
    return finished?.Success == true;
}

async Task<bool> RunIsolated()
{
    DeploymentFinished? finished = null;
    await foreach (var e in engine.RunAsync(new DeploymentRequest(repo, environment)))
        if (e is DeploymentFinished f) finished = f;
    return finished?.Success == true;
}

var cases = new (string Name, Func<Task<bool>> Body)[]
{
    // the floor: a process start and a request that runs no repository code
    ("list environments, in process", () => Task.FromResult(BatouEngine.Environments(repo).Count > 0)),
    ("list environments, engine process", async () => (await engine.EnvironmentsAsync(repo)).Count > 0),
    ("describe, in process", () => Task.FromResult(BatouEngine.Describe(repo, environment).Errors.Count == 0)),
    ("describe, engine process", async () => (await engine.DescribeAsync(repo, environment)).Errors.Count == 0),
    ("deploy (no-op), in process", RunInProcess),
    ("deploy (no-op), engine process", RunIsolated),
};

// warm-up: fills the compile cache and deploys once, so every timed run is a no-op
foreach (var (name, body) in cases)
    if (!await body()) throw new InvalidOperationException("warm-up failed: " + name);

Console.WriteLine("| what | median | min | max | runs |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, body) in cases)
{
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        if (!await body()) throw new InvalidOperationException("failed: " + name);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    var median = runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:0} ms | {times[0]:0} ms | {times[^1]:0} ms | {runs} |"));
}
