using System.Diagnostics;
using AngleSharp.Html.Parser;

namespace Batou.Web.Tests;

/// <summary>
/// A deployment repository fetched over ssh from the loopback sshd (a bare repository in batou-host3's home):
/// libgit2 runs the system ssh with the repository's key and known_hosts; an unknown host key is refused and shown.
/// </summary>
[Collection("dashboard")]
public sealed class GitOverSshTests(DashboardFixture app)
{
    private static readonly string SshDir = Environment.GetEnvironmentVariable("BATOU_TEST_SSH_DIR") is { Length: > 0 } d ? d : Path.Combine(DashboardFixture.SourceRoot(), ".test-sshd");

    [Fact]
    public async Task A_repository_is_fetched_over_ssh_with_its_own_key_and_known_hosts_and_an_unknown_host_key_is_refused()
    {
        Assert.True(File.Exists(Path.Combine(SshDir, "sshd_config")), "the test sshd is not running: ./test.sh starts it");
        var port = File.ReadLines(Path.Combine(SshDir, "sshd_config")).First(l => l.StartsWith("Port ", StringComparison.Ordinal))[5..].Trim();
        var name = "web-git-" + Guid.NewGuid().ToString("n")[..8] + ".git";
        var bare = Path.Combine("/home/batou-host3", name);
        var emptyKnownHosts = Path.Combine(app.Root, "empty_known_hosts");
        await File.WriteAllTextAsync(emptyKnownHosts, "");
        try
        {
            Run("git", "init", "-q", "--bare", bare);
            Run("git", "-C", app.RepoDir, "push", "-q", bare, "main");
            Run("chown", "-R", "batou-host3:batou-host3", bare);
            var url = $"ssh://batou-host3@127.0.0.1:{port}{bare}";
            await using var dashboard = DashboardInstance.Start(app, settings: new()
            {
                ["Batou:Repositories:1:Name"] = "overssh",
                ["Batou:Repositories:1:Url"] = url,
                ["Batou:Repositories:1:SshKey"] = Path.Combine(SshDir, "client_ed25519"),
                ["Batou:Repositories:1:KnownHosts"] = Path.Combine(SshDir, "known_hosts"),
                ["Batou:Repositories:2:Name"] = "stranger",
                ["Batou:Repositories:2:Url"] = url,
                ["Batou:Repositories:2:SshKey"] = Path.Combine(SshDir, "client_ed25519"),
                ["Batou:Repositories:2:KnownHosts"] = emptyKnownHosts,
            });
            using var client = await dashboard.SignedInClientAsync();
            var parser = new HtmlParser();
            var page = parser.ParseDocument(await client.GetStringAsync("/repos/overssh"));
            Assert.Null(page.QuerySelector("#repo-error"));
            Assert.Contains(page.QuerySelectorAll(".env-card"), c => c.GetAttribute("data-env") == "local");
            Assert.Equal(app.MainHead, Run("git", "--git-dir", Path.Combine(dashboard.DataDir, "repos", "overssh.git"), "rev-parse", "main").Trim());

            var refused = parser.ParseDocument(await client.GetStringAsync("/repos/stranger"));
            var error = refused.QuerySelector("#repo-error");
            Assert.NotNull(error);
            Assert.Empty(refused.QuerySelectorAll(".env-card"));
            Assert.False(Directory.Exists(Path.Combine(dashboard.DataDir, "repos", "stranger.git")));   // nothing half-cloned stays
            // the dashboard keeps working for the other repositories
            Assert.NotNull(parser.ParseDocument(await client.GetStringAsync("/repos/overssh")).QuerySelector(".env-card"));
        }
        finally
        {
            if (Directory.Exists(bare)) Directory.Delete(bare, recursive: true);
        }
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
        return output;
    }
}
