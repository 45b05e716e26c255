using System.Diagnostics;
using System.Globalization;
using Batou.Engine.Api;

// usage: EngineProcessBench REPOSITORY ENVIRONMENT [RUNS] [PAUSE_SECONDS]
// Times describe and a no-op deployment in process, through `batou engine` started per request, and through a
// pool of two warm engines (PAUSE_SECONDS, default 3, between pooled calls: the pool refills and warms up, as
// between requests of people; "back to back" without the pause); prints a Markdown table.
var repo = args[0];
var environment = args[1];
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
var pause = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 3);
using var engine = new EngineProcess();
using var pool = new EngineProcess(new EngineProcessOptions { PoolSize = 2 });

async Task<bool> RunInProcess()
{
    DeploymentFinished? finished = null;
    await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(repo, environment)))
        if (e is DeploymentFinished f) finished = f;
    return finished?.Success == true;
}

async Task<bool> RunIsolated(EngineProcess through)
{
    DeploymentFinished? finished = null;
    await foreach (var e in through.RunAsync(new DeploymentRequest(repo, environment)))
        if (e is DeploymentFinished f) finished = f;
    return finished?.Success == true;
}

var none = TimeSpan.Zero;
var cases = new (string Name, Func<Task<bool>> Body, TimeSpan Pause)[]
{
    // the floor: a process start and a request that runs no repository code
    ("list environments, in process", () => Task.FromResult(BatouEngine.Environments(repo).Count > 0), none),
    ("list environments, engine process", async () => (await engine.EnvironmentsAsync(repo)).Count > 0, none),
    ("list environments, pooled engine", async () => (await pool.EnvironmentsAsync(repo)).Count > 0, pause),
    ("describe, in process", () => Task.FromResult(BatouEngine.Describe(repo, environment).Errors.Count == 0), none),
    ("describe, engine process", async () => (await engine.DescribeAsync(repo, environment)).Errors.Count == 0, none),
    ("describe, pooled engine", async () => (await pool.DescribeAsync(repo, environment)).Errors.Count == 0, pause),
    ("describe, pooled engine, back to back", async () => (await pool.DescribeAsync(repo, environment)).Errors.Count == 0, none),
    ("deploy (no-op), in process", RunInProcess, none),
    ("deploy (no-op), engine process", () => RunIsolated(engine), none),
    ("deploy (no-op), pooled engine", () => RunIsolated(pool), pause),
    ("deploy (no-op), pooled engine, back to back", () => RunIsolated(pool), none),
};

// warm-up: fills the compile cache and deploys once, so every timed run is a no-op
foreach (var (name, body, _) in cases)
    if (!await body()) throw new InvalidOperationException("warm-up failed: " + name);

Console.WriteLine("| what | median | min | max | runs |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, body, wait) in cases)
{
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        await Task.Delay(wait);
        var watch = Stopwatch.StartNew();
        if (!await body()) throw new InvalidOperationException("failed: " + name);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    var median = runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:0} ms | {times[0]:0} ms | {times[^1]:0} ms | {runs} |"));
}
