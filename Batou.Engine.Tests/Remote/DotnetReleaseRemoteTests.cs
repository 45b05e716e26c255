using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// A DotnetRelease from a project, deployed over ssh: the controller publishes (targets need no
/// .NET SDK), the host copies the transferred build. The project stamps who published it, so the
/// release on the host proves where <c>dotnet publish</c> ran.
/// </summary>
[Collection("ssh")]
public sealed class DotnetReleaseRemoteTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _target = "t-" + Guid.NewGuid().ToString("N")[..10];

    public DotnetReleaseRemoteTests() => SshHosts.Prepare(_repo);

    private string OnHost(string relative) => Path.Combine(SshHosts.Home("host1"), _target, relative);

    /// <summary>A project that stamps who published it, a component releasing it, an ssh environment for host1.</summary>
    private void WriteRepository(string client, string extra = "")
    {
        _repo.SshClient = client;
        _repo.Write("src/Hello/Hello.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <Target Name="StampPublisher" AfterTargets="Publish">
                <WriteLinesToFile File="$(PublishDir)published-by.txt" Lines="$([System.Environment]::UserName)" Overwrite="true" />
              </Target>
            </Project>
            """);
        _repo.Write("src/Hello/Program.cs", "System.Console.WriteLine(\"hello\");\n");
        _repo.Component("app", """
            public class App : Component
            {
                protected override void Configure() => Add(new DotnetRelease("hello") { Project = "src/Hello" });
            }
            """);
        _repo.Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n{extra}\n[hosts]\nhost1 = app\n");
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void The_controller_publishes_the_host_copies_and_a_second_deployment_neither_publishes_nor_changes_anything(string client)
    {
        WriteRepository(client);

        var first = _repo.Deploy("remote");
        Assert.True(first.Success, first + "\n" + string.Join("\n", first.Of<ConfigurationFailed>().SelectMany(c => c.Errors)));
        Assert.Contains(first.Of<StepStarted>(), s => s.Step == "build");
        var current = OnHost("work/app/current");
        Assert.True(File.Exists(Path.Combine(current, "Hello.dll")));
        Assert.Equal(System.Environment.UserName, File.ReadAllText(Path.Combine(current, "published-by.txt")).Trim());
        Assert.NotEqual("batou-host1", System.Environment.UserName);
        // the host ran no dotnet: no intermediate files there, they stay on the controller
        Assert.False(Directory.Exists(OnHost("work/.batou/dotnet-build")));
        Assert.False(Directory.Exists(OnHost("src/Hello/obj")));
        Assert.True(Directory.Exists(_repo.Work(".batou/dotnet-build/hello")));
        var build = Assert.Single(Directory.GetDirectories(_repo.Work(".batou-build/hello")));
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(build, "Hello.dll"));
        var release = new FileInfo(current).LinkTarget;

        var second = _repo.Deploy("remote");
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.DoesNotContain(second.Of<StepStarted>(), s => s.Step == "build");
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(build, "Hello.dll")));
        Assert.Equal(release, new FileInfo(current).LinkTarget);
    }

    public static TheoryData<string, string> ClientsAndGitMethods => new()
    {
        { "openssh", "git-bundle" }, { "builtin", "git-bundle" }, { "openssh", "git-pull" }, { "builtin", "git-pull" },
    };

    /// <summary>
    /// git carries no <c>work/</c>: the controller's build is shipped beside the checkout (not into
    /// git: the host's checkout stays clean), and a committed source change brings a new build that
    /// replaces the old one on the host.
    /// </summary>
    [Theory, MemberData(nameof(ClientsAndGitMethods))]
    public void With_a_git_update_method_the_build_travels_beside_the_checkout_and_a_committed_change_replaces_it(string client, string method)
    {
        WriteRepository(client, $"update_method = {method}\n");
        GitTestRepo.InitAndCommit(_repo.Root);
        string? origin = null;
        if (method == "git-pull")
        {
            origin = GitTestRepo.BareOrigin(owner: "batou-host1");
            GitTestRepo.Run(_repo.Root, "remote", "add", "origin", origin);
            GitTestRepo.Run(_repo.Root, "push", "-q", "-u", "origin", "main");
        }
        try
        {
            var first = _repo.Deploy("remote");
            AssertSuccess(first);
            Assert.Contains(first.Of<StepStarted>(), s => s.Step == "build");
            var current = OnHost("work/app/current");
            Assert.True(File.Exists(Path.Combine(current, "Hello.dll")));
            Assert.Equal(System.Environment.UserName, File.ReadAllText(Path.Combine(current, "published-by.txt")).Trim());
            Assert.Equal(GitTestRepo.Run(_repo.Root, "rev-parse", "HEAD"), GitTestRepo.Run(OnHost(""), "rev-parse", "HEAD"));
            Assert.Equal("", GitTestRepo.Run(OnHost(""), "status", "--porcelain"));
            var firstBuild = Path.GetFileName(Assert.Single(Directory.GetDirectories(OnHost("work/.batou-build/hello"))));
            var firstRelease = new FileInfo(current).LinkTarget;

            var second = _repo.Deploy("remote");
            AssertSuccess(second);
            Assert.Empty(second.Updated);
            Assert.DoesNotContain(second.Of<StepStarted>(), s => s.Step == "build");

            _repo.Write("src/Hello/Program.cs", "System.Console.WriteLine(\"hello again\");\n");
            GitTestRepo.Commit(_repo.Root, "a new greeting");
            if (origin is not null) GitTestRepo.Run(_repo.Root, "push", "-q");
            var third = _repo.Deploy("remote");
            AssertSuccess(third);
            Assert.Contains(third.Of<StepStarted>(), s => s.Step == "build");
            Assert.Contains("App > DotnetRelease('hello')", third.Updated);
            Assert.NotEqual(firstRelease, new FileInfo(current).LinkTarget);
            var build = Path.GetFileName(Assert.Single(Directory.GetDirectories(OnHost("work/.batou-build/hello"))));
            Assert.NotEqual(firstBuild, build);
            Assert.Equal("", GitTestRepo.Run(OnHost(""), "status", "--porcelain"));
        }
        finally
        {
            if (origin is not null) Directory.Delete(origin, recursive: true);
        }
    }

    /// <summary>
    /// With <c>-D</c> the hosts get the last commit while the controller builds the working copy:
    /// the build cannot belong to the host's source, and the deployment says so instead of
    /// releasing something nobody committed.
    /// </summary>
    [Fact]
    public async Task With_git_bundle_and_D_an_uncommitted_source_change_fails_clearly_on_the_host()
    {
        WriteRepository("openssh", "update_method = git-bundle\n");
        GitTestRepo.InitAndCommit(_repo.Root);
        _repo.Write("src/Hello/Program.cs", "System.Console.WriteLine(\"not committed\");\n");

        var result = await TestRepository.DeployAsync(new DeploymentRequest(_repo.Root, "remote") { Dirty = true, Ssh = _repo.SshOptions });
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors, e => e.ToString().Contains("DotnetRelease", StringComparison.Ordinal)).ToString();
        Assert.Contains("src/Hello", error);
        Assert.Contains("committed", error);
        Assert.False(Directory.Exists(OnHost("work/app/current")));
    }

    private static void AssertSuccess(DeploymentResult result) =>
        Assert.True(result.Success, result + "\n" + string.Join("\n", result.Errors.Select(e => e.ToString())));

    public void Dispose()
    {
        _repo.Dispose();
        var onHost = Path.Combine(SshHosts.Home("host1"), _target);
        if (Directory.Exists(onHost)) Directory.Delete(onHost, recursive: true);
    }
}
