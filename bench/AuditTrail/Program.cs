using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuditTrailBench;
using Batou.Web.Data;
using Batou.Web.Governance.Identity;
using Microsoft.EntityFrameworkCore;

// AuditTrailBench sqlite|postgres CONNECTION ENTRIES RUNS OUT.md — see bench/audit-run.sh
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: AuditTrailBench sqlite|postgres CONNECTION ENTRIES RUNS OUT.md");
    return 2;
}
if (args[0] == "drop")
{
    // drop CONNECTION DATABASE: removes the throwaway PostgreSQL database of a run
    await using var c = new Npgsql.NpgsqlConnection(args[1]);
    await c.OpenAsync();
    await using var cmd = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{args[2]}\" WITH (FORCE)", c);
    await cmd.ExecuteNonQueryAsync();
    return 0;
}
var provider = args[0] == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
var (connection, entries, runs, outFile) = (args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
BatouDb Open() => new(BatouDbOptions.Configure(new DbContextOptionsBuilder<BatouDb>(), provider, connection).Options);

await using (var db = Open()) await db.Database.MigrateAsync();
var load = Stopwatch.StartNew();
await Fill.RunAsync(provider, connection, entries);
load.Stop();
await using (var db = Open())
    if (provider == DatabaseProvider.Sqlite) await db.Database.ExecuteSqlRawAsync("ANALYZE");
    else await db.Database.ExecuteSqlRawAsync("ANALYZE audit_entries");

var day = Fill.Start.AddDays(200);
var cases = new (string Name, AuditFilter Filter, int Page)[]
{
    ("no filter, page 1", new(), 0),
    ("no filter, page 20", new(), 19),
    ("user", new(User: "user-017"), 0),
    ("environment", new(Environment: "env-07"), 0),
    ("action (common)", new(Action: AuditActions.DeploymentRequested), 0),
    ("action (rare)", new(Action: AuditActions.TokenRevoked), 0),
    ("user + environment", new(User: "user-017", Environment: "env-07"), 0),
    ("time range (1 day)", new(FromUtc: day, ToUtc: day.AddDays(1)), 0),
    ("user + time range (7 days)", new(User: "user-017", FromUtc: day, ToUtc: day.AddDays(7)), 0),
    ("action + time range (1 day)", new(Action: AuditActions.SignInFailed, FromUtc: day, ToUtc: day.AddDays(1)), 0),
    ("user that has no entries", new(User: "nobody"), 0),
};
var md = new StringBuilder();
md.AppendLine(CultureInfo.InvariantCulture, $"### {provider}: {entries:N0} audit entries, {runs} runs per filter, page size 50");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Loading the entries took {load.Elapsed.TotalSeconds:0.0} s. Each run is one page as `/admin/audit` asks for it (count up to {AuditQuery.CountLimit:N0} + the page), in a new DbContext.");
md.AppendLine();
md.AppendLine("| filter | rows on page | count (capped) | p50 ms | p95 ms | max ms |");
md.AppendLine("|---|---:|---:|---:|---:|---:|");
foreach (var (name, filter, page) in cases)
{
    var times = new List<double>();
    var (rows, total) = (0, 0);
    for (var i = 0; i < runs + 3; i++)
    {
        var sw = Stopwatch.StartNew();
        await using var db = Open();
        var (items, count) = await AuditQuery.PageAsync(db, filter, page, 50);
        sw.Stop();
        if (i >= 3) times.Add(sw.Elapsed.TotalMilliseconds);   // three warm-up runs
        (rows, total) = (items.Count, count);
    }
    times.Sort();
    md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {rows} | {(total > AuditQuery.CountLimit ? $"> {AuditQuery.CountLimit:N0}" : total.ToString("N0", CultureInfo.InvariantCulture))} | {P(times, 50):0.0} | {P(times, 95):0.0} | {times[^1]:0.0} |");
}
md.AppendLine();
await File.AppendAllTextAsync(outFile, md.ToString());
Console.Write(md);
return 0;

static double P(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
