using System.Diagnostics;
using System.Globalization;
using System.Text;
using Batou.Engine.Api;
using Batou.Web.Components.LiveLog;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

// LogOpenBench sqlite|postgres CONNECTION_STRING LINES RUNS OUT.md — see bench/log-open-run.sh
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: LogOpenBench sqlite|postgres CONNECTION_STRING LINES RUNS OUT.md");
    return 2;
}
var provider = args[0] == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
var (cs, lines, runs, outFile) = (args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
await using var services = new ServiceCollection().AddDbContext<BatouDb>(o => BatouDbOptions.Configure(o, provider, cs)).BuildServiceProvider();
using (var scope = services.CreateScope())
{
    var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
    await db.Database.MigrateAsync();
}
// the same events twice: one deployment finished (opens at its tail), one still "running" elsewhere (read whole, as
// every finished log was before)
var finished = await SeedAsync(DeploymentStatus.Succeeded);
var whole = await SeedAsync(DeploymentStatus.Running);
var scopes = services.GetRequiredService<IServiceScopeFactory>();

var samples = new Dictionary<string, List<double>>();
void Add(string what, double ms) => (samples.TryGetValue(what, out var l) ? l : samples[what] = []).Add(ms);
for (var run = 0; run < runs + 1; run++)
{
    foreach (var (id, label) in run % 2 == 0 ? new[] { (finished, "tail first"), (whole, "read whole") } : [(whole, "read whole"), (finished, "tail first")])
    {
        using var logs = new DeploymentLogs(new LiveHub(new ActivityFeed(NullLogger<ActivityFeed>.Instance)), scopes, NullLogger<DeploymentLogs>.Instance);
        var clock = Stopwatch.StartNew();
        using var lease = await logs.OpenAsync(id);
        // what the page's first render needs: the default view (command output folded) and its last 500 rows
        var view = new LogView(lease.Log, new LogFilter(Output: false));
        view.Refresh();
        var tail = view.Tail(500);
        var open = clock.Elapsed.TotalMilliseconds;
        if (tail.Count != 500 || tail[^1].Seq != lines) throw new InvalidOperationException($"{label}: tail ends at {tail[^1].Seq}");
        clock.Restart();
        var page = await view.RowsAsync(view.Shown / 2, 90, CancellationToken.None);
        var middle = clock.Elapsed.TotalMilliseconds;
        if (page.Count != 90) throw new InvalidOperationException($"{label}: {page.Count} rows in the middle");
        clock.Restart();
        await lease.Log.EnsureAllAsync();
        view.SetFilter(new LogFilter(Search: "line 54321", Output: false));
        var search = clock.Elapsed.TotalMilliseconds;
        if (view.Shown != 1) throw new InvalidOperationException($"{label}: search found {view.Shown}");
        if (run == 0) continue;   // warm-up: JIT, caches
        Add($"{label}: open + the first render's 500 rows", open);
        Add($"{label}: 90 rows from the middle (scrolled up)", middle);
        Add($"{label}: a search (every row read first when opened at the tail)", search);
    }
}

var md = new StringBuilder();
md.AppendLine(CultureInfo.InvariantCulture, $"### {provider}: a finished deployment of {lines:N0} log lines, {runs} runs each, interleaved").AppendLine();
md.AppendLine("| | p50 | p95 | max |").AppendLine("|---|---:|---:|---:|");
foreach (var (what, list) in samples.OrderBy(s => s.Key.Split(':')[1]).ThenBy(s => s.Key))
{
    list.Sort();
    md.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {P(list, 50):N1} | {P(list, 95):N1} | {list[^1]:N1} |");
}
md.AppendLine();
await File.AppendAllTextAsync(outFile, md.ToString());
Console.Write(md);
return 0;

static double P(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

async Task<long> SeedAsync(string status)
{
    using var scope = services.CreateScope();
    var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
    var d = new DeploymentEntity
    {
        RepositoryId = 1, Environment = "big", Commit = new string('a', 40), Mode = DeploymentModes.Deploy, Status = status,
        RequestedBy = "bench", RequestedUtc = DateTime.UtcNow, EventCount = lines,
    };
    db.Deployments.Add(d);
    await db.SaveChangesAsync();
    var events = new List<DeploymentEvent> { new DeploymentStarted("big", DeploymentMode.Deploy, "0.1.0", 1), new RootScheduled("localhost", "chatty") };
    for (var i = 1; events.Count < lines - 2; i++) events.Add(new LogLine("localhost", "Chatty", $"chatty line {i}"));
    events.Add(new RootFinished("localhost", "chatty", true, TimeSpan.FromSeconds(1)));
    events.Add(new DeploymentFinished(true, DeploymentMode.Deploy, null, 0, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    for (var start = 0; start < events.Count; start += 5000)
    {
        db.DeploymentEvents.AddRange(events.Skip(start).Take(5000).Select((e, i) => new DeploymentEventEntity
            { DeploymentId = d.Id, Seq = start + i + 1, Type = e.GetType().Name, Json = EventJson.Serialize(e) }));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }
    return d.Id;
}
