using System.Diagnostics;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class CloneTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _upstream;

    public CloneTests()
    {
        _upstream = _repo.PathOf("upstream");
        Directory.CreateDirectory(_upstream);
        Git(_upstream, "init", "-q", "-b", "main");
        Commit(_upstream, "hello.txt", "version 1\n", "first");
        Git(_upstream, "tag", "v1");
        Commit(_upstream, "hello.txt", "version 2\n", "second");
        Git(_upstream, "tag", "-a", "v2", "-m", "annotated v2");
    }

    private DeploymentResult Deploy(string settings, string url = "", Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("checkout", $$"""
            public class Checkout : Component
            {
                protected override void Configure()
                {
                    var clone = Add(new Clone(@"{{(url.Length > 0 ? url : _upstream)}}") { Target = "clone", {{settings}} });
                    Add(new Reporter { Of = clone });
                }
            }

            public class Reporter : Component
            {
                [NotASetting] public Clone? Of { get; set; }
                protected override void Verify() => Log("commit time " + Of!.LastUpdated()?.ToString("o"));
            }
            """).LocalEnvironment("checkout");
        return _repo.Deploy(mode: mode);
    }

    private string Clone(string relative = "") => _repo.Work("checkout/clone/" + relative);

    internal static string Git(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", "user.name=batou tests", "-c", "user.email=tests@localhost", "-c", "init.defaultBranch=main", .. args])
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {stderr}");
        return stdout.Result.Trim();
    }

    private static void Commit(string repository, string file, string content, string message)
    {
        File.WriteAllText(Path.Combine(repository, file), content);
        Git(repository, "add", file);
        Git(repository, "commit", "-q", "-m", message);
    }

    [Fact]
    public void Clones_a_branch_and_a_second_deploy_touches_nothing()
    {
        var first = Deploy("Branch = \"main\"");
        Assert.True(first.Success, first.ToString());
        Assert.Equal([$"Checkout > Clone('{_upstream}')"], first.Updated);
        Assert.Equal("version 2\n", File.ReadAllText(Clone("hello.txt")));
        Assert.Equal("main", Git(Clone(), "symbolic-ref", "--short", "HEAD"));
        var mtime = File.GetLastWriteTimeUtc(Clone("hello.txt"));
        var head = Git(Clone(), "rev-parse", "HEAD");

        var second = Deploy("Branch = \"main\"");
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Clone("hello.txt")));
        Assert.Equal(head, Git(Clone(), "rev-parse", "HEAD"));
        Assert.Empty(Git(Clone(), "status", "--porcelain"));
    }

    [Fact]
    public void Last_updated_is_the_commit_time()
    {
        var result = Deploy("Branch = \"main\"");
        Assert.True(result.Success, result.ToString());
        var seconds = long.Parse(Git(Clone(), "log", "-1", "--format=%ct"), System.Globalization.CultureInfo.InvariantCulture);
        var expected = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("o");
        Assert.Contains($"commit time {expected}", result.DeployLogs());
    }

    [Fact]
    public void A_branch_behind_origin_is_updated()
    {
        Assert.True(Deploy("Branch = \"main\"").Success);
        Commit(_upstream, "hello.txt", "version 3\n", "third");

        var result = Deploy("Branch = \"main\"");
        Assert.True(result.Success, result.ToString());
        Assert.Equal([$"Checkout > Clone('{_upstream}')"], result.Updated);
        Assert.Equal("version 3\n", File.ReadAllText(Clone("hello.txt")));
        Assert.Empty(Deploy("Branch = \"main\"").Updated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Without_clobber_local_changes_are_protected(bool untracked)
    {
        Assert.True(Deploy("Branch = \"main\"").Success);
        Commit(_upstream, "hello.txt", "version 3\n", "third");
        if (untracked) File.WriteAllText(Clone("notes.txt"), "mine\n");
        else File.WriteAllText(Clone("hello.txt"), "local edit\n");

        var result = Deploy("Branch = \"main\"");
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Contains("Refusing to clobber dirty work directory.", error.Message);
        Assert.Contains(untracked ? "notes.txt" : "hello.txt", error.Message);
        Assert.Equal($"Checkout > Clone('{_upstream}')", error.Component);
        if (untracked) Assert.Equal("mine\n", File.ReadAllText(Clone("notes.txt")));
        else Assert.Equal("local edit\n", File.ReadAllText(Clone("hello.txt")));
    }

    [Fact]
    public void With_clobber_local_changes_are_lost()
    {
        Assert.True(Deploy("Branch = \"main\"").Success);
        File.WriteAllText(Clone("hello.txt"), "local edit\n");
        File.WriteAllText(Clone("notes.txt"), "mine\n");

        var result = Deploy("Branch = \"main\", Clobber = true");
        Assert.True(result.Success, result.ToString());
        Assert.Contains(result.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == "dirty working copy (Clobber = true)");
        Assert.Contains(result.DeployLogs(), l => l.StartsWith("Going to lose local changes", StringComparison.Ordinal));
        Assert.Equal("version 2\n", File.ReadAllText(Clone("hello.txt")));
        Assert.False(File.Exists(Clone("notes.txt")));
    }

    [Fact]
    public void Changing_the_tag_switches_the_working_copy()
    {
        var v1 = Deploy("Tag = \"v1\"");
        Assert.True(v1.Success, v1.ToString());
        Assert.Equal("version 1\n", File.ReadAllText(Clone("hello.txt")));
        Assert.Empty(Deploy("Tag = \"v1\"").Updated);

        var v2 = Deploy("Tag = \"v2\"");
        Assert.True(v2.Success, v2.ToString());
        Assert.Single(v2.Updated);
        Assert.Equal("version 2\n", File.ReadAllText(Clone("hello.txt")));
        Assert.Empty(Deploy("Tag = \"v2\"").Updated);
    }

    [Fact]
    public void A_revision_is_checked_out_exactly()
    {
        var first = Git(_upstream, "rev-list", "--max-parents=0", "HEAD");
        var result = Deploy($"Revision = \"{first[..10]}\"");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(first, Git(Clone(), "rev-parse", "HEAD"));
        Assert.Equal("version 1\n", File.ReadAllText(Clone("hello.txt")));
        Assert.Empty(Deploy($"Revision = \"{first[..10]}\"").Updated);
    }

    [Fact]
    public void A_changed_remote_url_clones_again()
    {
        Assert.True(Deploy("Branch = \"main\"").Success);
        var other = _repo.PathOf("other");
        Directory.CreateDirectory(other);
        Git(other, "init", "-q", "-b", "main");
        Commit(other, "other.txt", "from the other repository\n", "other");

        var result = Deploy("Branch = \"main\"", url: other);
        Assert.True(result.Success, result.ToString());
        Assert.Contains(result.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == $"origin is {_upstream}, wanted {other}");
        Assert.Equal(other, Git(Clone(), "remote", "get-url", "origin"));
        Assert.Equal("from the other repository\n", File.ReadAllText(Clone("other.txt")));
        Assert.False(File.Exists(Clone("hello.txt")));
        Assert.Empty(Deploy("Branch = \"main\"", url: other).Updated);
    }

    [Fact]
    public void Predicting_a_missing_clone_creates_nothing()
    {
        var result = Deploy("Branch = \"main\"", mode: Engine.Api.DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Contains($"Checkout > Clone('{_upstream}')", result.Updated);
        Assert.False(Directory.Exists(Clone()));
    }

    [Fact]
    public void A_missing_branch_fails_with_a_clear_message()
    {
        Assert.True(Deploy("Branch = \"main\"").Success);
        var result = Deploy("Branch = \"nope\"");
        Assert.False(result.Success);
        Assert.Contains($"branch nope does not exist in {_upstream}", result.Error("ComponentFailed").Message);
    }

    [Theory]
    [InlineData("Clobber = true", "got none")]
    [InlineData("Branch = \"main\", Tag = \"v1\"", "got Branch, Tag")]
    public void Exactly_one_of_branch_tag_revision_is_required(string settings, string expected)
    {
        var result = Deploy(settings);
        Assert.False(result.Success);
        var message = result.Error("ConfigurationError").Message;
        Assert.Contains("set exactly one of Branch, Tag or Revision", message);
        Assert.Contains(expected, message);
    }

    public void Dispose() => _repo.Dispose();
}
