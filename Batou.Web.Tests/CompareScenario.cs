using System.Collections.Concurrent;
using System.Diagnostics;
using Batou.Web.Git;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests;

/// <summary>
/// Two deployments of an environment of its own ("cmp"), on a branch of the fixture's repository made in a separate
/// git worktree (the shared working tree and main stay as other tests expect): commit A sets the app's port to 9101,
/// commit B to 9102; a third commit C (not deployed) adds a host data file. Made once per dashboard.
/// </summary>
public sealed record CompareScenario(string Environment, string CommitA, string CommitB, string CommitC, long A, long B)
{
    public const string Hooked = "hooked";
    public const string MessageB = "app listens on 9102 for the comparison";
    private static readonly ConcurrentDictionary<string, Lazy<Task<CompareScenario>>> Made = new();

    public static Task<CompareScenario> ForAsync(DashboardFixture app) => Made.GetOrAdd(app.Root, _ => new(() => MakeAsync(app))).Value;

    private static async Task<CompareScenario> MakeAsync(DashboardFixture app)
    {
        var env = "cmp";
        var tree = Path.Combine(app.Root, "compare-worktree");
        Git(app.RepoDir, "worktree", "add", "-q", "-b", "compare", tree, app.MainHead);
        var cfg = Path.Combine(tree, "environments", env, "environment.cfg");
        Directory.CreateDirectory(Path.GetDirectoryName(cfg)!);
        const string Head = "[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = app, proxy\n\n[component:proxy]\nlisten_port = 18190\n\n[component:app]\nworkers = 3\n";
        await File.WriteAllTextAsync(cfg, Head + "port = 9101\n");
        // the webhook tests deploy this quick environment of their own
        Directory.CreateDirectory(Path.Combine(tree, "environments", Hooked));
        await File.WriteAllTextAsync(Path.Combine(tree, "environments", Hooked, "environment.cfg"), "[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = tick\n");
        var a = Commit(tree, "an environment to compare");
        await File.WriteAllTextAsync(cfg, Head + "port = 9102\n");
        var b = Commit(tree, MessageB);
        await File.WriteAllTextAsync(cfg, Head + "port = 9103\n");
        await File.WriteAllBytesAsync(Path.Combine(tree, "environments", env, "logo.bin"), [0, 1, 2, 0, 255, 0, 7]);
        var c = Commit(tree, "a binary file and port 9103");
        await app.Factory.Services.GetRequiredService<RepositoryCatalog>().FetchAsync("example");
        using var client = await app.SignedInClientAsync();
        var first = await DeployAsync(client, env, a);
        var second = await DeployAsync(client, env, b);
        return new CompareScenario(env, a, b, c, first, second);
    }

    private static async Task<long> DeployAsync(HttpClient client, string env, string commit)
    {
        var id = await DashboardApi.DeployAsync(client, env, commit);
        if ((await DashboardApi.WaitAsync(client, id)).Status == "succeeded") return id;
        var errors = (await DashboardApi.EventsAsync(client, id)).TakeLast(8).Select(e => e.Type + " " + e.Event.ToString());
        throw new InvalidOperationException($"#{id} of {env} at {commit} did not succeed: {string.Join("\n", errors)}");
    }

    private static string Commit(string tree, string message)
    {
        Git(tree, "add", "-A");
        Git(tree, "commit", "-q", "-m", message);
        return Git(tree, "rev-parse", "HEAD").Trim();
    }

    public static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Carol Compare";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "carol@example.invalid";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output;
    }
}
