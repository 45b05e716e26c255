using System.Diagnostics;
using Batou.Engine.Remote;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>The shipped agent is self-contained: it runs with an empty environment and no dotnet anywhere on PATH.</summary>
public sealed class AgentTests : IDisposable
{
    private readonly TestRepository _repo = new();

    [Fact]
    public void The_agent_deploys_without_dotnet_on_the_path()
    {
        var agent = Environment.GetEnvironmentVariable("BATOU_AGENT") is { Length: > 0 } configured
            ? configured
            : Path.Combine(SshHosts.RepoRoot(), ".artifacts", "agent", "linux-x64", "batou");
        Assert.True(File.Exists(agent), $"the agent is not built ({agent}); ./test.sh publishes it");

        _repo.Component("hello", "public sealed class Hello : Component { protected override void Configure() => Add(new File(\"hello\") { Content = \"from the agent\" }); }")
            .LocalEnvironment("hello");
        Assert.True(_repo.Deploy(mode: Api.DeploymentMode.ConsistencyOnly).Success);
        var dll = Directory.GetFiles(_repo.Work(".batou/components"), "*.dll").Single();

        var info = new ProcessStartInfo("/usr/bin/env") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-i", "HOME=" + _repo.Root, "PATH=/nonexistent", agent, "agent" }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardInput.WriteLine(AgentJson.Write(new SetupRequest(_repo.Root, "test", "localhost", Path.GetRelativePath(_repo.Root, dll), null, 60)));
        process.StandardInput.WriteLine(AgentJson.Write(new DeployRequest("hello", false)));
        process.StandardInput.Flush();
        var replies = new List<AgentMessage>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            replies.Add(AgentJson.Read(line));
            if (replies[^1] is DeployDone) process.StandardInput.Close();   // a closed stdin earlier would cancel the deployment
        }
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));
        var stderr = process.StandardError.ReadToEnd();

        Assert.Empty(Assert.IsType<Configured>(replies[0]).Errors);
        Assert.Contains(replies.OfType<EventMessage>(), e => e.Event is Api.FileDiff { Host: "localhost" });
        Assert.True(Assert.IsType<DeployDone>(replies[^1]).Ok, stderr);
        Assert.Equal("from the agent", File.ReadAllText(_repo.Work("hello/hello")));
        Assert.Equal(0, process.ExitCode);
    }

    public void Dispose() => _repo.Dispose();
}
