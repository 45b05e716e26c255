using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class SyncDirectoryTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public SyncDirectoryTests()
    {
        _repo.Write("components/site/static/index.html", "<h1>hi</h1>\n")
            .Write("components/site/static/css/site.css", "body {}\n")
            .Write("components/site/static/lib/module.pyc", "bytecode")
            .Write("components/site/static/cache/big/blob", "cached")
            .Write("components/site/static/.well-known/security.txt", "contact\n");
    }

    private DeploymentResult Deploy(string body, DeploymentMode mode = DeploymentMode.Deploy)
    {
        _repo.Component("site", $$"""
            public class Site : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            """).LocalEnvironment("site");
        return _repo.Deploy(mode: mode);
    }

    private string Work(string relative) => _repo.Work("site/" + relative);

    private const string Synced = """Add(new Directory("www") { Source = "static", Exclude = ["*.pyc", "cache/**"] });""";

    [Fact]
    public void Directory_with_source_copies_files_except_excluded_and_a_second_deploy_changes_nothing()
    {
        var first = Deploy(Synced);
        Assert.True(first.Success, first.ToString());
        Assert.Equal(["Site > Directory('work/site/www') > SyncDirectory('www')"], first.Updated);
        Assert.Equal("<h1>hi</h1>\n", File.ReadAllText(Work("www/index.html")));
        Assert.Equal("body {}\n", File.ReadAllText(Work("www/css/site.css")));
        Assert.Equal("contact\n", File.ReadAllText(Work("www/.well-known/security.txt")));
        Assert.False(File.Exists(Work("www/lib/module.pyc")));
        Assert.False(File.Exists(Work("www/cache/big/blob")));
        var mtime = File.GetLastWriteTimeUtc(Work("www/index.html"));

        var second = Deploy(Synced);
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Work("www/index.html")));
    }

    [Fact]
    public void Only_changed_files_are_written_and_extra_target_files_are_kept()
    {
        Assert.True(Deploy(Synced).Success);
        File.WriteAllText(Work("www/extra.txt"), "mine");
        var cssTime = File.GetLastWriteTimeUtc(Work("www/css/site.css"));
        File.SetLastWriteTimeUtc(Work("www/css/site.css"), cssTime.AddMinutes(-5));
        cssTime = File.GetLastWriteTimeUtc(Work("www/css/site.css"));
        _repo.Write("components/site/static/index.html", "<h1>changed</h1>\n");

        var result = Deploy(Synced);
        Assert.True(result.Success, result.ToString());
        var reason = Assert.Single(result.Of<ComponentNeedsUpdate>()).Reason;
        Assert.Equal("1 file differs from static: index.html", reason);
        Assert.Equal("<h1>changed</h1>\n", File.ReadAllText(Work("www/index.html")));
        Assert.Equal(cssTime, File.GetLastWriteTimeUtc(Work("www/css/site.css")));
        Assert.Equal("mine", File.ReadAllText(Work("www/extra.txt")));
    }

    [Fact]
    public void The_update_reason_names_the_first_few_differing_files()
    {
        for (var i = 0; i < 7; i++) _repo.Write($"components/site/many/f{i}.txt", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Work("out"));
        var result = Deploy("""Add(new SyncDirectory("out") { Source = "many" });""", DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Equal("7 files differ from many: f0.txt, f1.txt, f2.txt, f3.txt, f4.txt and 2 more",
            Assert.Single(result.Of<ComponentNeedsUpdate>()).Reason);
        Assert.False(File.Exists(Work("out/f0.txt")), "predicting writes nothing");
    }

    [Fact]
    public void SyncDirectory_alone_creates_its_target_and_keeps_executable_modes()
    {
        _repo.Write("components/site/bin/run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(_repo.PathOf("components/site/bin/run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));
        var result = Deploy("""Add(new SyncDirectory("tools") { Source = "bin" });""");
        Assert.True(result.Success, result.ToString());
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(Work("tools/run.sh")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(Work("tools/run.sh")));
    }

    [Fact]
    public void Absolute_sources_and_source_symlinks_are_copied()
    {
        var source = _repo.PathOf("elsewhere");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "real.txt"), "real");
        File.CreateSymbolicLink(Path.Combine(source, "alias.txt"), "real.txt");
        var body = $$"""Add(new SyncDirectory("abs") { Source = "{{source}}" });""";
        var result = Deploy(body);
        Assert.True(result.Success, result.ToString());
        Assert.Equal("real", File.ReadAllText(Work("abs/real.txt")));
        Assert.Equal("real.txt", new FileInfo(Work("abs/alias.txt")).LinkTarget);
        Assert.Empty(Deploy(body).Updated);
    }

    [Fact]
    public void A_file_in_the_place_of_the_target_directory_is_replaced()
    {
        Directory.CreateDirectory(Work(""));
        File.WriteAllText(Work("www"), "in the way");
        var result = Deploy(Synced);
        Assert.True(result.Success, result.ToString());
        Assert.True(File.Exists(Work("www/index.html")));
    }

    [Fact]
    public void Directory_does_not_create_leading_directories_by_default()
    {
        var result = Deploy("""Add(new Directory("a/b/www") { Source = "static" });""");
        Assert.False(result.Success);
        Assert.Contains("Parent directory of", result.Error("ComponentFailed").Message);
        Assert.False(Directory.Exists(Work("a")));

        var plain = Deploy("""Add(new Directory("c/d"));""");
        Assert.False(plain.Success);
        Assert.Contains("set Leading = true", plain.Error("ComponentFailed").Message);
    }

    [Fact]
    public void Directory_with_leading_creates_parents_before_syncing()
    {
        var result = Deploy("""Add(new Directory("a/b/www") { Source = "static", Leading = true });""");
        Assert.True(result.Success, result.ToString());
        Assert.True(File.Exists(Work("a/b/www/index.html")));
    }

    [Fact]
    public void A_missing_source_setting_is_a_configuration_error()
    {
        var result = Deploy("""Add(new SyncDirectory("www"));""");
        Assert.False(result.Success);
        Assert.Equal("site: SyncDirectory requires a source to sync from.", result.Error("ConfigurationError").Message);
    }

    [Fact]
    public void A_source_directory_that_does_not_exist_fails_the_component()
    {
        var result = Deploy("""Add(new SyncDirectory("www") { Source = "nope" });""");
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Contains("Source directory", error.Message);
        Assert.Contains("nope", error.Message);
    }

    public void Dispose() => _repo.Dispose();
}
