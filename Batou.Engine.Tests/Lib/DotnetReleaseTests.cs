using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>
/// Releases from archives served as file:// URLs; a real HTTP health endpoint whose answer is the
/// <c>health.txt</c> of the release <c>current</c> points at; the restart is a shell command that logs.
/// </summary>
public sealed class DotnetReleaseTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly HealthServer _server = new();

    public DotnetReleaseTests() =>
        _server.Answer = () =>
        {
            var file = Work("current/health.txt");
            if (!File.Exists(file)) return (404, "no current release");
            var text = File.ReadAllText(file).Trim();
            return text == "ok" ? (200, "ok") : (503, text);
        };

    private string Work(string relative) => _repo.Work("app/" + relative);

    /// <summary>A .tar.gz with app.dll and health.txt; returns its URL and checksum.</summary>
    private (string Url, string Checksum) Artifact(string version, string health)
    {
        var source = _repo.PathOf($"build/{version}");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "app.dll"), $"binary {version}\n");
        File.WriteAllText(Path.Combine(source, "health.txt"), health + "\n");
        var archive = _repo.PathOf($"build/app-{version}.tar.gz");
        using (var output = File.Create(archive))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            TarFile.CreateFromDirectory(source, gzip, includeBaseDirectory: false);
        return ("file://" + archive, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive))));
    }

    private DeploymentResult Deploy(string version, string health = "ok", string extra = "", Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        var (url, checksum) = Artifact(version, health);
        _repo.Component("app", $$"""
            public class App : Component
            {
                protected override void Configure() => Add(new DotnetRelease("shop")
                {
                    Artifact = "{{url}}", Checksum = "{{checksum}}", Version = "{{version}}",
                    Restart = "echo restart >> restarts.log", HealthCheck = "{{_server.Url}}", HealthTimeout = TimeSpan.FromSeconds(2),
                    {{extra}}
                });
            }
            """).LocalEnvironment("app");
        return _repo.Deploy(mode: mode);
    }

    private int Restarts => File.Exists(Work("restarts.log")) ? File.ReadAllLines(Work("restarts.log")).Length : 0;

    private static IEnumerable<string> Releases(string dir) =>
        Directory.GetDirectories(Path.Combine(dir, "releases")).Select(Path.GetFileName).Order()!;

    [Fact]
    public void Installs_switches_restarts_and_checks_health_then_a_second_deploy_changes_nothing()
    {
        var first = Deploy("1.0");
        Assert.True(first.Success, first.ToString());
        Assert.Equal(["App > DotnetRelease('shop')"], first.Updated);
        Assert.Equal("releases/1.0", new FileInfo(Work("current")).LinkTarget);
        Assert.Equal("binary 1.0\n", File.ReadAllText(Work("current/app.dll")));
        Assert.Equal(1, Restarts);
        Assert.NotEmpty(_server.Requests);
        Assert.Contains("current -> releases/1.0", first.DeployLogs());
        var stamp = (File.GetLastWriteTimeUtc(Work("releases/1.0/app.dll")), Directory.GetLastWriteTimeUtc(Work("releases/1.0")), File.GetLastWriteTimeUtc(Work("downloads/app-1.0.tar.gz")));

        var second = Deploy("1.0");
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(1, Restarts);
        Assert.Equal(stamp, (File.GetLastWriteTimeUtc(Work("releases/1.0/app.dll")), Directory.GetLastWriteTimeUtc(Work("releases/1.0")), File.GetLastWriteTimeUtc(Work("downloads/app-1.0.tar.gz"))));
        Assert.Empty(Directory.GetFileSystemEntries(Work("."), ".current.batou-*"));
    }

    [Fact]
    public void Predicting_a_new_version_reports_it_and_writes_nothing()
    {
        Assert.True(Deploy("1.0").Success);
        var predicted = Deploy("2.0", mode: Engine.Api.DeploymentMode.Predict);
        Assert.True(predicted.Success, predicted.ToString());
        Assert.Contains(predicted.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == "release 2.0 is not installed");
        Assert.False(Directory.Exists(Work("releases/2.0")));
        Assert.Equal("releases/1.0", new FileInfo(Work("current")).LinkTarget);
        Assert.Equal(1, Restarts);
    }

    [Fact]
    public void A_failing_health_check_switches_back_and_fails_naming_the_url_and_the_last_response()
    {
        Assert.True(Deploy("1.0").Success);
        var bad = Deploy("2.0", health: "migrations pending");
        Assert.False(bad.Success);
        var error = bad.Errors.Single(e => e.Kind == "ComponentFailed");
        var text = error.Message + "\n" + error.Body;
        Assert.Contains(_server.Url, text);
        Assert.Contains("HTTP 503 migrations pending", text);
        Assert.Contains("Switched back to release 1.0", text);
        Assert.Equal("releases/1.0", new FileInfo(Work("current")).LinkTarget);
        Assert.Equal(3, Restarts);   // the good one, the bad one, and the switch back

        // fixed: the same version name with a good build is not the broken directory (a new version is)
        var fixedRelease = Deploy("2.1");
        Assert.True(fixedRelease.Success, fixedRelease.ToString());
        Assert.Equal("releases/2.1", new FileInfo(Work("current")).LinkTarget);
    }

    [Fact]
    public void Without_a_previous_release_a_failing_health_check_says_so()
    {
        var bad = Deploy("1.0", health: "broken");
        Assert.False(bad.Success);
        var error = bad.Errors.Single(e => e.Kind == "ComponentFailed");
        Assert.Contains("no previous release", error.Message + error.Body);
    }

    [Fact]
    public void Only_the_last_releases_are_kept()
    {
        foreach (var v in new[] { "1", "2", "3", "4" })
            Assert.True(Deploy(v, extra: "Keep = 2").Success);
        Assert.Equal(["3", "4"], Releases(Work(".")));
        Assert.Equal("releases/4", new FileInfo(Work("current")).LinkTarget);
        Assert.Empty(Directory.GetDirectories(Work("releases"), ".*"));
    }

    [Fact]
    public void A_checksum_mismatch_fails_and_keeps_the_current_release()
    {
        Assert.True(Deploy("1.0").Success);
        var (url, _) = Artifact("2.0", "ok");
        _repo.Component("app", $$"""
            public class App : Component
            {
                protected override void Configure() => Add(new DotnetRelease("shop")
                {
                    Artifact = "{{url}}", Checksum = "sha256:{{new string('0', 64)}}", Version = "2.0", Restart = "echo restart >> restarts.log",
                });
            }
            """);
        var result = _repo.Deploy();
        Assert.False(result.Success);
        var error = result.Errors.Single(e => e.Kind == "ComponentFailed");
        Assert.Contains("checksum mismatch", error.Message + error.Body);
        Assert.Equal("releases/1.0", new FileInfo(Work("current")).LinkTarget);
        Assert.False(Directory.Exists(Work("releases/2.0")));
        Assert.Equal(1, Restarts);
    }

    [Fact]
    public void Neither_project_nor_artifact_is_a_configuration_error()
    {
        _repo.Component("app", """
            public class App : Component
            {
                protected override void Configure() => Add(new DotnetRelease("shop"));
            }
            """).LocalEnvironment("app");
        var message = _repo.Deploy().Error("ConfigurationError").Message;
        Assert.Contains("DotnetRelease(\"shop\")", message);
        Assert.Contains("exactly one of Project", message);
    }

    [Fact]
    public void A_project_in_the_repository_is_published_once_per_source_change()
    {
        _repo.Write("src/Hello/Hello.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
            </Project>
            """);
        _repo.Write("src/Hello/Program.cs", """Console.WriteLine("hello");""");
        _repo.Component("app", """
            public class App : Component
            {
                protected override void Configure() => Add(new DotnetRelease("hello") { Project = "src/Hello", Restart = "echo restart >> restarts.log" });
            }
            """).LocalEnvironment("app");
        var first = _repo.Deploy();
        Assert.True(first.Success, first.ToString());
        var link = new FileInfo(Work("current")).LinkTarget!;
        Assert.Matches("^releases/src-[0-9a-f]{12}$", link);
        Assert.True(File.Exists(Work("current/Hello.dll")));
        Assert.False(Directory.Exists(_repo.PathOf("src/Hello/obj")), "the build must not write into the repository");
        // published by the controller step into the transferred tree, the release is a copy of it
        var build = Assert.Single(Directory.GetDirectories(_repo.Work(".batou-build/hello")));
        Assert.True(File.Exists(Path.Combine(build, "Hello.dll")));
        Assert.Contains(first.Of<Engine.Api.StepStarted>(), s => s.Step == "build");

        var again = _repo.Deploy();
        Assert.Empty(again.Updated);
        Assert.DoesNotContain(again.Of<Engine.Api.StepStarted>(), s => s.Step == "build");

        _repo.Write("src/Hello/Program.cs", """Console.WriteLine("hello again");""");
        var changed = _repo.Deploy();
        Assert.True(changed.Success, changed.ToString());
        Assert.NotEqual(link, new FileInfo(Work("current")).LinkTarget);
        Assert.Equal(2, Restarts);
        Assert.NotEqual(build, Assert.Single(Directory.GetDirectories(_repo.Work(".batou-build/hello"))));
    }

    [Fact]
    public void A_project_that_does_not_compile_fails_on_the_controller_with_the_compilers_file_and_line_before_deploying()
    {
        _repo.Write("src/Broken/Broken.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
            </Project>
            """);
        _repo.Write("src/Broken/Program.cs", "class P { static void Main() {\n int x = \"text\"; } }\n");
        _repo.Component("app", """
            public class App : Component
            {
                protected override void Configure()
                {
                    Add(new File("before.txt") { Content = "x" });
                    Add(new DotnetRelease("broken") { Project = "src/Broken" });
                }
            }
            """).LocalEnvironment("app");
        var result = _repo.Deploy();
        Assert.False(result.Success);
        var error = result.Error("BuildFailed");
        Assert.Contains(error.Details, d => d.Label == "Project" && d.Value == "src/Broken");
        Assert.Contains("Program.cs(2,", error.Body);
        Assert.Contains("CS0029", error.Body);
        Assert.Equal(Engine.Api.Phase.Connect, result.Finished.FailedDuring);
        Assert.False(File.Exists(Work("before.txt")), "nothing is deployed when a build fails");
        Assert.Empty(Directory.GetDirectories(_repo.Work(".batou-build/broken")));
    }

    public void Dispose()
    {
        _server.Dispose();
        _repo.Dispose();
    }
}
