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

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void The_controller_publishes_the_host_copies_and_a_second_deployment_neither_publishes_nor_changes_anything(string client)
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
        _repo.Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n\n[hosts]\nhost1 = app\n");

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

    public void Dispose() => _repo.Dispose();
}
