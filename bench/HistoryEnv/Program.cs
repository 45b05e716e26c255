using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

// HistoryEnvBench sqlite|postgres CONNECTION DEPLOYMENTS RUNS OUT.md — see bench/history-env-run.sh
// The history page's two queries for ?env= (count, first page of 25 newest), as History.razor builds them, timed with
// the (Environment, Id) index and without it (dropped in the same run), plus the query plans of both.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: HistoryEnvBench sqlite|postgres CONNECTION DEPLOYMENTS RUNS OUT.md");
    return 2;
}
var provider = args[0] == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
var (connection, total, runs, outFile) = (args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
BatouDb Open() => new(BatouDbOptions.Configure(new DbContextOptionsBuilder<BatouDb>(), provider, connection).Options);

await using (var db = Open())
{
    await db.Database.MigrateAsync();
    db.Repositories.Add(new RepositoryEntity { Name = "bench", Url = "/nowhere", CreatedUtc = DateTime.UtcNow });
    await db.SaveChangesAsync();
}
var load = Stopwatch.StartNew();
var rng = new Random(8);
var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
for (var from = 0; from < total; from += 5000)
{
    await using var db = Open();
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    for (var i = from; i < Math.Min(total, from + 5000); i++)
    {
        // 20 environments, production-like ones rarer; "env-rare" one in a thousand
        var env = i % 1000 == 7 ? "env-rare" : $"env-{Math.Min(rng.Next(20), rng.Next(20)):00}";
        db.Deployments.Add(new DeploymentEntity
        {
            RepositoryId = 1, Environment = env, Commit = $"{i:x40}", Mode = "deploy", Status = i % 10 == 3 ? "failed" : "succeeded",
            RequestedBy = $"user-{rng.Next(30):00}", RequestedUtc = start.AddSeconds(i * 300), StartedUtc = start.AddSeconds(i * 300 + 1),
            FinishedUtc = start.AddSeconds(i * 300 + 40), EventCount = 120,
        });
    }
    await db.SaveChangesAsync();
}
load.Stop();
await Exec(provider == DatabaseProvider.Sqlite ? "ANALYZE" : "ANALYZE deployments");

var md = new StringBuilder();
md.AppendLine(CultureInfo.InvariantCulture, $"### {provider}: {total:N0} deployments, {runs} runs per case");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Loading took {load.Elapsed.TotalSeconds:0.0} s. One run = the count and the first page of 25 (newest first) that `/deployments?env=…` asks for, in a new DbContext.");
md.AppendLine();
var cases = new[] { "env-03", "env-rare" };
var results = new List<string>();
foreach (var indexed in new[] { false, true })
{
    if (!indexed) await Exec("DROP INDEX " + Quote("IX_deployments_Environment_Id"));
    else await Exec($"CREATE INDEX {Quote("IX_deployments_Environment_Id")} ON deployments ({Quote("Environment")}, {Quote("Id")})");
    await Exec(provider == DatabaseProvider.Sqlite ? "ANALYZE" : "ANALYZE deployments");
    md.AppendLine(indexed ? "#### with the index (Environment, Id) — this change" : "#### without it (before this change)");
    md.AppendLine();
    foreach (var env in cases)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"`{env}` page: ```{string.Join(" | ", await PlanAsync($"SELECT * FROM deployments WHERE {Quote("Environment")} = '{env}' ORDER BY {Quote("Id")} DESC LIMIT 25"))}```  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"`{env}` count: ```{string.Join(" | ", await PlanAsync($"SELECT COUNT(*) FROM deployments WHERE {Quote("Environment")} = '{env}'"))}```");
        md.AppendLine();
    }
    foreach (var env in cases)
    {
        var times = new List<double>();
        var count = 0;
        for (var i = 0; i < runs + 3; i++)
        {
            var sw = Stopwatch.StartNew();
            await using var db = Open();
            var q = db.Deployments.AsNoTracking().Where(d => d.Environment == env);
            count = await q.CountAsync();
            var page = await q.OrderByDescending(d => d.Id).Skip(0).Take(25).ToListAsync();
            sw.Stop();
            if (i >= 3) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        results.Add(string.Create(CultureInfo.InvariantCulture, $"| {(indexed ? "with index" : "without")} | {env} | {count:N0} | {P(times, 50):0.00} | {P(times, 95):0.00} | {times[^1]:0.00} |"));
    }
}
md.AppendLine("| index | ?env= | matching rows | p50 ms | p95 ms | max ms |");
md.AppendLine("|---|---|---:|---:|---:|---:|");
foreach (var r in results) md.AppendLine(r);
md.AppendLine();
await File.AppendAllTextAsync(outFile, md.ToString());
Console.Write(md);
return 0;

string Quote(string name) => "\"" + name + "\"";

async Task Exec(string sql)
{
    await using var db = Open();
    await db.Database.ExecuteSqlRawAsync(sql);
}

async Task<List<string>> PlanAsync(string sql)
{
    await using var db = Open();
    var c = db.Database.GetDbConnection();
    await c.OpenAsync();
    await using DbCommand cmd = c.CreateCommand();
    cmd.CommandText = (provider == DatabaseProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql;
    var lines = new List<string>();
    await using var r = await cmd.ExecuteReaderAsync();
    while (await r.ReadAsync()) lines.Add(provider == DatabaseProvider.Sqlite ? r.GetString(3) : r.GetString(0).Trim());
    return lines;
}

static double P(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
