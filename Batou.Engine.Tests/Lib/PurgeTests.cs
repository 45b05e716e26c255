using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class PurgeTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private DeploymentResult Deploy(string body)
    {
        _repo.Component("purger", $$"""
            public class Purger : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            """).LocalEnvironment("purger");
        return _repo.Deploy();
    }

    private string Work(string relative) => _repo.Work("purger/" + relative);

    private void Create(string relative, string content = "x")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Work(relative))!);
        File.WriteAllText(Work(relative), content);
    }

    [Fact]
    public void Removes_matching_files_and_directories_and_a_second_deploy_changes_nothing()
    {
        Create("a.log");
        Create("b.log");
        Create("old.log/inner/c.txt");
        Create("keep.txt");
        Create(".hidden.log");

        var first = Deploy("""Add(new Purge("*.log"));""");
        Assert.True(first.Success, first.ToString());
        Assert.Equal(["Purger > Purge('*.log')"], first.Updated);
        Assert.Contains(first.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == "3 paths match: a.log, b.log, old.log");
        Assert.False(File.Exists(Work("a.log")));
        Assert.False(File.Exists(Work("b.log")));
        Assert.False(Directory.Exists(Work("old.log")));
        Assert.True(File.Exists(Work("keep.txt")));
        Assert.True(File.Exists(Work(".hidden.log")), "like a shell glob, * does not match dot files");
        var mtime = File.GetLastWriteTimeUtc(Work("keep.txt"));

        var second = Deploy("""Add(new Purge("*.log"));""");
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Work("keep.txt")));
    }

    [Fact]
    public void A_symlink_to_a_directory_is_unlinked_and_its_target_kept()
    {
        Create("target/file.txt", "precious");
        Directory.CreateSymbolicLink(Work("link"), Work("target"));

        var result = Deploy("""Add(new Purge("link"));""");
        Assert.True(result.Success, result.ToString());
        Assert.Null(new FileInfo(Work("link")).LinkTarget);
        Assert.False(Path.Exists(Work("link")));
        Assert.Equal("precious", File.ReadAllText(Work("target/file.txt")));
    }

    [Fact]
    public void A_dangling_symlink_is_removed()
    {
        Directory.CreateDirectory(Work(""));
        File.CreateSymbolicLink(Work("dangling.pid"), Work("nowhere"));

        var result = Deploy("""Add(new Purge("*.pid"));""");
        Assert.True(result.Success, result.ToString());
        Assert.Null(new FileInfo(Work("dangling.pid")).LinkTarget);
    }

    [Fact]
    public void Absolute_patterns_with_nested_wildcards_are_supported()
    {
        var outside = _repo.PathOf("outside");
        Directory.CreateDirectory(Path.Combine(outside, "x1"));
        Directory.CreateDirectory(Path.Combine(outside, "x2"));
        Directory.CreateDirectory(Path.Combine(outside, "y"));
        File.WriteAllText(Path.Combine(outside, "x1", "cache.db"), "");
        File.WriteAllText(Path.Combine(outside, "x2", "cache.db"), "");
        File.WriteAllText(Path.Combine(outside, "y", "cache.db"), "");

        var result = Deploy($$"""Add(new Purge("{{outside}}/x?/*.db"));""");
        Assert.True(result.Success, result.ToString());
        Assert.False(File.Exists(Path.Combine(outside, "x1", "cache.db")));
        Assert.False(File.Exists(Path.Combine(outside, "x2", "cache.db")));
        Assert.True(File.Exists(Path.Combine(outside, "y", "cache.db")));
    }

    [Fact]
    public void Nothing_matching_means_no_update()
    {
        Create("keep.txt");
        var result = Deploy("""Add(new Purge("*.tmp"));""");
        Assert.True(result.Success, result.ToString());
        Assert.Empty(result.Updated);
        Assert.True(File.Exists(Work("keep.txt")));
    }

    [Fact]
    public void An_empty_pattern_is_a_configuration_error()
    {
        var result = Deploy("""Add(new Purge(""));""");
        Assert.False(result.Success);
        Assert.Contains("Purge needs a pattern", result.Error("ConfigurationError").Message);
    }

    public void Dispose() => _repo.Dispose();
}
