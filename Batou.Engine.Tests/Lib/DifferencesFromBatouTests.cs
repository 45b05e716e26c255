using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>
/// The output differences docs/decisions.md promises a team migrating from batou
/// ("Output that deliberately differs from batou"): if one of these fails, update that list.
/// </summary>
public sealed class DifferencesFromBatouTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private DeploymentResult Deploy(string body)
    {
        _repo.Component("app", $$"""
            public class App : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            """).LocalEnvironment("app");
        return _repo.Deploy();
    }

    [Fact]
    public void Human_readable_json_ends_with_a_newline_and_keeps_non_ascii_as_utf8()
    {
        var result = Deploy("""Add(new JsonContent("data.json") { Data = new { b = 1, a = "Grüße" } });""");

        Assert.True(result.Success, result.ToString());
        Assert.Equal("{\n    \"a\": \"Grüße\",\n    \"b\": 1\n}\n", _repo.Read("work/app/data.json"));
    }

    [Fact]
    public void Compact_json_has_no_final_newline()
    {
        var result = Deploy("""Add(new JsonContent("data.json") { Data = new { b = 1, a = 2 }, HumanReadable = false });""");

        Assert.True(result.Success, result.ToString());
        Assert.Equal("{\"a\":2,\"b\":1}", _repo.Read("work/app/data.json"));
    }

    [Fact]
    public void The_template_helper_adds_no_newline()
    {
        _repo.Write("components/app/one.tmpl", "one line\n");

        var result = Deploy("""Add(new File("out.txt") { Content = Template("one.tmpl") + "|" });""");

        Assert.True(result.Success, result.ToString());
        Assert.Equal("one line\n|", _repo.Read("work/app/out.txt"));   // batou's template() would give "one line\n\n"
    }

    [Fact]
    public void A_file_at_a_symlinked_path_replaces_the_link_and_leaves_its_target_alone()
    {
        var target = _repo.PathOf("elsewhere.txt");
        File.WriteAllText(target, "original\n");
        Directory.CreateDirectory(_repo.Work("app"));
        File.CreateSymbolicLink(_repo.Work("app/linked.txt"), target);

        var result = Deploy("""Add(new File("linked.txt") { Content = "new\n" });""");

        Assert.True(result.Success, result.ToString());
        Assert.Null(new FileInfo(_repo.Work("app/linked.txt")).LinkTarget);
        Assert.Equal("new\n", _repo.Read("work/app/linked.txt"));
        Assert.Equal("original\n", File.ReadAllText(target));   // batou would have written "new" into elsewhere.txt
    }

    public void Dispose() => _repo.Dispose();
}
