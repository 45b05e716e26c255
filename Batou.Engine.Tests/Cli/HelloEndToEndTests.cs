using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

public sealed class HelloEndToEndTests : IDisposable
{
    private readonly TestRepository _repo = new();

    [Fact]
    public void Init_then_deploy_writes_the_file_and_a_second_deploy_changes_nothing()
    {
        var (initCode, initOut, _) = Fixtures.Cli.Run(_repo.Root, "init", ".");
        Assert.Equal(0, initCode);
        Assert.Contains("batou deploy local", initOut);

        var (code, stdout, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "local");
        Assert.Equal(0, code);
        Assert.Contains("🚀 localhost: Hello > File('work/hello/hello') > Content('hello')", stdout);
        Assert.Contains("  hello +Hello from batou", stdout);
        Assert.Contains("DEPLOYMENT FINISHED", stdout);
        Assert.Equal("Hello from batou\n", _repo.Read("work/hello/hello"));
        var written = File.GetLastWriteTimeUtc(_repo.PathOf("work/hello/hello"));

        var (again, second, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "local");
        Assert.Equal(0, again);
        Assert.DoesNotContain("🚀", second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(_repo.PathOf("work/hello/hello")));
    }

    [Fact]
    public void Predict_shows_the_diff_and_writes_nothing()
    {
        Fixtures.Cli.Run(_repo.Root, "init", ".");
        var (code, stdout, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "-P", "local");
        Assert.Equal(0, code);
        Assert.Contains("Predicting deployment actions", stdout);
        Assert.Contains("  hello +Hello from batou", stdout);
        Assert.Contains("DEPLOYMENT PREDICTION FINISHED", stdout);
        Assert.False(Directory.Exists(_repo.PathOf("work/hello")));
    }

    [Fact]
    public void Missing_environment_fails_during_load_and_names_the_available_ones()
    {
        Fixtures.Cli.Run(_repo.Root, "init", ".");
        var (code, stdout, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "production");
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Missing environment", stdout);
        Assert.Contains("    Environment: production", stdout);
        Assert.Contains("      Available: local", stdout);
        Assert.Contains("DEPLOYMENT FAILED (during load)", stdout);
    }

    public void Dispose() => _repo.Dispose();
}
