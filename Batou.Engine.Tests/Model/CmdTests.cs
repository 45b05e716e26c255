using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Model;

/// <summary>Component.Cmd: expansion, exit codes, stdin, working directory (scenarios #46, #47).</summary>
public sealed class CmdTests : IDisposable
{
    private readonly TestRepository _repo = new TestRepository()
        .Component("commands", """
            public class Commands : Component
            {
                public string Foo { get; set; } = "asdf";

                protected override void Verify()
                {
                    var (stdout, stderr) = Cmd("echo \"{{component.Foo}}\"");
                    Log($"echo:[{stdout}][{stderr}]");
                    try
                    {
                        Cmd("fdjkahfkjdasbfda");
                    }
                    catch (CmdExecutionError e)
                    {
                        Log($"unknown:{e.ExitCode}:{e.Stderr.Contains("fdjkahfkjdasbfda")}");
                    }
                    Log("cat:[" + Cmd("cat").Stdout + "]");
                    var (o, err) = Cmd("echo out; echo err >&2; exit 3", silent: true, ignoreReturnCode: true);
                    Log($"ignored:[{o}][{err}]");
                    Log("pwd:" + Cmd("pwd").Stdout.Trim());
                    Log("env:" + Cmd("echo $BATOU_TEST_VAR", env: new Dictionary<string, string> { ["BATOU_TEST_VAR"] = "x" }).Stdout.Trim());
                    Log("raw:" + Cmd("echo '{{component.Foo}}'", expand: false).Stdout.Trim());
                }
            }

            public class Unknown : Component
            {
                protected override void Verify() => throw new UpdateNeeded();
                protected override void Update() => Cmd("fdjkahfkjdasbfda");
            }
            """)
        .LocalEnvironment("commands")
        .LocalEnvironment("unknown", name: "unknown");

    [Fact]
    public void Cmd_expands_runs_in_the_workdir_and_reports_output_and_exit_codes()
    {
        var result = _repo.Deploy();
        Assert.True(result.Success, result.ToString());
        var logs = result.DeployLogs();
        Assert.Equal("echo:[asdf\n][]", logs[0]);
        Assert.Equal("unknown:127:True", logs[1]);
        Assert.Equal("cat:[]", logs[2]);
        Assert.Equal("ignored:[out\n][err\n]", logs[3]);
        Assert.EndsWith(Path.Combine("work", "commands"), logs[4], StringComparison.Ordinal);
        Assert.True(Directory.Exists(_repo.Work("commands")));
        Assert.Equal("env:x", logs[5]);
        Assert.Equal("raw:{{component.Foo}}", logs[6]);
        Assert.Equal(7, logs.Count);
    }

    [Fact]
    public void An_unknown_command_fails_the_deployment_with_exit_code_127_naming_host_component_and_line()
    {
        var result = _repo.Deploy("unknown");
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Equal("127", error.Detail("Return code"));
        Assert.Equal("localhost", error.Host);
        Assert.Equal("Unknown", error.Component);
        Assert.Equal("update", error.Detail("Step"));
        Assert.Equal(Path.Combine("components", "commands", "component.cs"), error.File);
        Assert.Equal(29, error.Line);
        Assert.Contains("fdjkahfkjdasbfda", error.Body, StringComparison.Ordinal);
    }

    public void Dispose() => _repo.Dispose();
}
