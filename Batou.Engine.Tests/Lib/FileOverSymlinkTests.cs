using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>A File in place of a symlink (working or dangling) becomes a regular file; a second deploy changes nothing.</summary>
public sealed class FileOverSymlinkTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private DeploymentResult Deploy()
    {
        _repo.Component("linked", """
            public class Linked : Component
            {
                protected override void Configure()
                {
                    Add(new File("to-file.txt") { Content = "mine\n" });
                    Add(new File("dangling.txt") { Content = "mine\n" });
                }
            }
            """).LocalEnvironment("linked");
        return _repo.Deploy();
    }

    private string Work(string relative) => _repo.Work("linked/" + relative);

    [Fact]
    public void Symlinks_in_place_of_files_are_replaced_and_the_target_is_untouched()
    {
        Directory.CreateDirectory(Work(""));
        File.WriteAllText(Work("target.txt"), "theirs\n");
        File.CreateSymbolicLink(Work("to-file.txt"), Work("target.txt"));
        File.CreateSymbolicLink(Work("dangling.txt"), Work("nowhere.txt"));

        var first = Deploy();
        Assert.True(first.Success, first.ToString());
        foreach (var name in new[] { "to-file.txt", "dangling.txt" })
        {
            Assert.Null(new FileInfo(Work(name)).LinkTarget);
            Assert.Equal("mine\n", File.ReadAllText(Work(name)));
        }
        Assert.Equal("theirs\n", File.ReadAllText(Work("target.txt")));
        Assert.False(File.Exists(Work("nowhere.txt")));
        Assert.True(first.Updated.Count(u => u.Contains("Presence", StringComparison.Ordinal)) == 2, string.Join("\n", first.Updated));

        var second = Deploy();
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
    }

    public void Dispose() => _repo.Dispose();
}
