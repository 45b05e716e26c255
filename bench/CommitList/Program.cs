// The commit list of a repository page, timed per strategy in interleaved rounds (every round runs each once, so they
// share the load). Usage: CommitListBench REPO REV SUBDIR ROUNDS LABEL OUT.md
using System.Diagnostics;
using System.Globalization;
using LibGit2Sharp;

var (repoDir, rev, subdir, rounds, label, outFile) = (args[0], args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4], args[5]);
const int Count = 25;
using var kept = new Repository(repoDir);
var cache = new Dictionary<string, List<string>>();

var strategies = new (string Name, Func<List<string>> Run)[]
{
    ("git log (CLI process)", () => GitLog(repoDir, rev, subdir)),
    ("before: open per call, Topological|Time", () => { using var git = new Repository(repoDir); return Walk(git, CommitSortStrategies.Topological | CommitSortStrategies.Time); }),
    ("open per call, first parents unsorted", () => { using var git = new Repository(repoDir); return Walk(git, CommitSortStrategies.None, true); }),
    ("kept handle, Topological|Time", () => Walk(kept, CommitSortStrategies.Topological | CommitSortStrategies.Time)),
    ("kept handle, Time", () => Walk(kept, CommitSortStrategies.Time)),
    ("kept handle, first parents unsorted", () => Walk(kept, CommitSortStrategies.None, true)),
    ("after: kept handle, first parents unsorted, cached by tip (warm)", () =>
    {
        var tip = kept.Lookup(rev).Peel<Commit>().Sha;
        if (!cache.TryGetValue(tip, out var list)) cache[tip] = list = Walk(kept, CommitSortStrategies.None, true);
        return list;
    }),
};

// the lists must agree (same commits, same order) before anything is timed
var reference = strategies[0].Run();
foreach (var (name, run) in strategies)
    if (!run().SequenceEqual(reference)) Console.Error.WriteLine($"warning: {name} lists other commits than git log");
var samples = strategies.Select(_ => new List<double>()).ToArray();
for (var r = 0; r < rounds; r++)
    for (var i = 0; i < strategies.Length; i++)
    {
        var sw = Stopwatch.StartNew();
        strategies[i].Run();
        samples[i].Add(sw.Elapsed.TotalMilliseconds);
    }

var commits = kept.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = kept.Lookup(rev).Peel<Commit>() }).Count();
using var writer = File.AppendText(outFile);
writer.WriteLine($"### {label}: {commits:N0} commits reachable from `{rev}`, sub-directory `{(subdir.Length == 0 ? "(root)" : subdir)}`, {Count} listed, {rounds} interleaved rounds");
writer.WriteLine();
writer.WriteLine("| strategy | p50 ms | p95 ms | min ms | max ms |");
writer.WriteLine("|---|---:|---:|---:|---:|");
for (var i = 0; i < strategies.Length; i++)
{
    var s = samples[i].Order().ToList();
    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {strategies[i].Name} | {P(s, 50):0.00} | {P(s, 95):0.00} | {s[0]:0.00} | {s[^1]:0.00} |"));
}
writer.WriteLine();
return;

static double P(List<double> sorted, int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

List<string> Walk(Repository git, CommitSortStrategies sort, bool firstParent = false)
{
    var tip = git.Lookup(rev).Peel<Commit>();
    return git.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, SortBy = sort, FirstParentOnly = firstParent })
        .Take(20_000).Where(c => Touches(c, subdir)).Take(Count)
        .Select(c => $"{c.Sha} {c.Author.Name} {c.Author.When.ToUnixTimeSeconds()} {c.MessageShort}").ToList();
}

static bool Touches(Commit c, string subdirectory)
{
    if (subdirectory.Length == 0) return true;
    var mine = c[subdirectory]?.Target.Sha;
    var parent = c.Parents.FirstOrDefault();
    return parent is null ? mine is not null : mine != parent[subdirectory]?.Target.Sha;
}

static List<string> GitLog(string repo, string rev, string subdir)
{
    var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true };
    // --first-parent: the branch's own line, which is what the page lists (the same as plain git log on a linear history)
    foreach (var a in new[] { "-C", repo, "log", "--first-parent", $"-{Count}", "--format=%H %an %at %s", rev, "--" }) psi.ArgumentList.Add(a);
    if (subdir.Length > 0) psi.ArgumentList.Add(subdir);
    using var p = Process.Start(psi)!;
    var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    p.WaitForExit();
    return lines;
}
