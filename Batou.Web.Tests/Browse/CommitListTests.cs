using System.Diagnostics;
using Batou.Web.Data;
using Batou.Web.Git;
using Batou.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Batou.Web.Tests.Browse;

/// <summary>
/// The commit list read in process (time-sorted lazy walk, rented repository handles, lists cached by tip) against a
/// real repository, checked against what the git CLI says for the same sub-directory.
/// </summary>
public sealed class CommitListTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("batou-commit-list-").FullName;
    private string Source => Path.Combine(_root, "source");
    private string Data => Path.Combine(_root, "data");
    private readonly RepositoryCatalog _catalog;
    private readonly RepositoryEntity _repo = new() { Name = "list", Url = "unused", Subdirectory = "deploy" };

    public CommitListTests()
    {
        Directory.CreateDirectory(Source);
        Git(Source, "init", "-q", "-b", "main");
        Git(Source, "config", "user.email", "test@example.com");
        Git(Source, "config", "user.name", "Test");
        for (var i = 1; i <= 30; i++) Commit(i % 3 == 0 ? "other" : "deploy", $"change {i}");
        Git(_root, "clone", "-q", "--bare", Source, Path.Combine(Data, "repos", "list.git"));
        var services = new ServiceCollection().BuildServiceProvider();
        _catalog = new RepositoryCatalog(services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new BatouWebOptions { DataDirectory = Data }),
            NullLogger<RepositoryCatalog>.Instance);
    }

    [Fact]
    public async Task The_list_is_the_commits_git_log_finds_for_the_sub_directory_newest_first()
    {
        var expected = GitLines(Source, "log", "--first-parent", "-25", "--format=%H", "main", "--", "deploy");
        var commits = await _catalog.CommitsAsync(_repo, "main");
        Assert.Equal(expected, commits.Select(c => c.Hash));
        Assert.Equal("change 29", commits[0].Message);
        Assert.All(commits, c => Assert.Equal("Test", c.Author));
        Assert.Equal(expected.Take(3), (await _catalog.CommitsAsync(_repo, "main", count: 3)).Select(c => c.Hash));
    }

    [Fact]
    public async Task A_new_tip_after_a_fetch_shows_its_commit_while_the_old_tip_keeps_its_list()
    {
        var before = await _catalog.CommitsAsync(_repo, "main");
        var oldTip = GitLines(Source, "rev-parse", "main")[0];
        Commit("deploy", "after the fetch");
        Git(Path.Combine(Data, "repos", "list.git"), "fetch", "-q", Source, "+refs/heads/*:refs/heads/*");
        var after = await _catalog.CommitsAsync(_repo, "main");
        Assert.Equal("after the fetch", after[0].Message);
        Assert.Equal(before.Take(24).Select(c => c.Hash), after.Skip(1).Select(c => c.Hash));
        Assert.Equal(before.Select(c => c.Hash), (await _catalog.CommitsAsync(_repo, oldTip)).Select(c => c.Hash));
    }

    [Fact]
    public async Task Concurrent_reads_each_get_a_repository_of_their_own_and_agree()
    {
        var expected = GitLines(Source, "log", "--first-parent", "-25", "--format=%H", "main", "--", "deploy");
        var head = expected[0];
        var reads = Enumerable.Range(0, 32).Select(i => (i % 4) switch
        {
            0 => _catalog.CommitsAsync(_repo, "main", count: 25 - i % 7).ContinueWith(t => string.Join(",", t.Result.Select(c => c.Hash)) == string.Join(",", expected.Take(25 - i % 7))),
            1 => _catalog.BranchesAsync(_repo).ContinueWith(t => t.Result.Single().Name == "main"),
            2 => _catalog.ChangesAsync(_repo, null, head).ContinueWith(t => t.Result.Single().Path == "file.txt"),
            _ => _catalog.FileAsync(_repo, head, "file.txt").ContinueWith(t => t.Result == "change 29\n"),
        });
        Assert.All(await Task.WhenAll(reads), Assert.True);
    }

    private void Commit(string folder, string message)
    {
        Directory.CreateDirectory(Path.Combine(Source, folder));
        File.WriteAllText(Path.Combine(Source, folder, "file.txt"), message + "\n");
        Git(Source, "add", "-A");
        Git(Source, "commit", "-q", "-m", message);
    }

    private static void Git(string dir, params string[] args) => GitLines(dir, args);

    private static string[] GitLines(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        _catalog.Dispose();
        Directory.Delete(_root, true);
    }
}
