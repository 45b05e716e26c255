using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>Against a real supervisord with its own configuration in a temporary directory.</summary>
public sealed class SupervisorProgramTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly SupervisorServer _supervisor = new();

    private string Starts => Path.Combine(_supervisor.Dir, "starts.log");

    private int StartCount => File.Exists(Starts) ? File.ReadAllLines(Starts).Length : 0;

    private DeploymentResult Deploy(string sleep = "600", string appContent = "v1", string command = "", Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        command = command.Length > 0 ? command : $"/bin/sh -c 'echo started >> {Starts}; exec sleep {sleep}'";
        _repo.Component("worker", $$"""
            public class Worker : Component
            {
                protected override void Configure()
                {
                    var app = Add(new File("app.dll") { Content = "{{appContent}}" });
                    Add(new SupervisorProgram("worker", "{{_supervisor.ConfD}}/worker.conf")
                    {
                        Command = "{{command}}", Supervisorctl = "{{_supervisor.Ctl}}", Watch = [app],
                    });
                }
            }
            """).LocalEnvironment("worker");
        return _repo.Deploy(mode: mode);
    }

    [Fact]
    public void A_new_program_is_added_and_running_and_a_second_deploy_changes_nothing()
    {
        var first = Deploy();
        Assert.True(first.Success, first.ToString());
        Assert.Contains("Worker > SupervisorProgram('worker')", first.Updated);
        Assert.StartsWith("worker", _supervisor.Status("worker"));
        Assert.Contains("RUNNING", _supervisor.Status("worker"));
        Assert.Equal(1, StartCount);
        var mtime = File.GetLastWriteTimeUtc(Path.Combine(_supervisor.ConfD, "worker.conf"));

        var second = Deploy();
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(1, StartCount);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Path.Combine(_supervisor.ConfD, "worker.conf")));
    }

    [Fact]
    public void A_changed_program_config_restarts_it()
    {
        Assert.True(Deploy().Success);
        var changed = Deploy(sleep: "700");
        Assert.True(changed.Success, changed.ToString());
        Assert.Contains(changed.Of<Engine.Api.FileDiff>(), d => d.Lines.Any(l => l.Contains("sleep 700")));
        Assert.Equal(2, StartCount);
        Assert.Contains("RUNNING", _supervisor.Status("worker"));
    }

    [Fact]
    public void A_change_of_a_watched_component_restarts_it()
    {
        Assert.True(Deploy().Success);
        var changed = Deploy(appContent: "v2");
        Assert.True(changed.Success, changed.ToString());
        Assert.Contains(changed.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Breadcrumbs == "Worker > SupervisorProgram('worker')" && e.Reason.Contains("app.dll"));
        Assert.Equal(2, StartCount);
    }

    [Fact]
    public void Verify_reads_the_state_from_supervisords_socket_and_leaves_anything_unusual_to_supervisorctl()
    {
        Assert.True(Deploy().Success);
        // the same answer supervisorctl gives, without starting it
        Assert.Equal("RUNNING", Batou.Lib.Internal.SupervisorRpc.State(_supervisor.Ctl, "worker"));
        Assert.Contains("RUNNING", _supervisor.Status("worker"));
        Assert.Equal(0, System.Diagnostics.Process.Start("/bin/sh", ["-c", $"{_supervisor.Ctl} stop worker >/dev/null"]).WaitForExitAndCode());
        Assert.Equal("STOPPED", Batou.Lib.Internal.SupervisorRpc.State(_supervisor.Ctl, "worker"));
        // an unknown program (a fault), another command, or no -c: the caller runs the command as configured
        Assert.Null(Batou.Lib.Internal.SupervisorRpc.State(_supervisor.Ctl, "nosuchprogram"));
        Assert.Null(Batou.Lib.Internal.SupervisorRpc.State($"sudo {_supervisor.Ctl}", "worker"));
        Assert.Null(Batou.Lib.Internal.SupervisorRpc.State("supervisorctl", "worker"));
    }

    [Fact]
    public void A_stopped_program_is_started()
    {
        Assert.True(Deploy().Success);
        Assert.Equal(0, System.Diagnostics.Process.Start("/bin/sh", ["-c", $"{_supervisor.Ctl} stop worker >/dev/null"]).WaitForExitAndCode());
        var result = Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.Contains(result.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == "worker is STOPPED");
        Assert.Contains("RUNNING", _supervisor.Status("worker"));
        Assert.Equal(2, StartCount);
    }

    [Fact]
    public void A_program_that_cannot_stay_up_fails_the_deployment_with_its_state_and_output()
    {
        var result = Deploy(command: "/bin/sh -c 'echo cannot bind port 5000; exit 1'");
        Assert.False(result.Success);
        var error = result.Errors.Single(e => e.Kind == "ComponentFailed");
        var text = error.Message + "\n" + error.Body;
        Assert.Contains("worker is FATAL", text);
        Assert.Contains("cannot bind port 5000", text);
    }

    [Fact]
    public void Predicting_a_new_program_writes_nothing()
    {
        var result = Deploy(mode: Engine.Api.DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Contains("Worker > SupervisorProgram('worker')", result.Updated);
        Assert.False(File.Exists(Path.Combine(_supervisor.ConfD, "worker.conf")));
        Assert.Equal(0, StartCount);
    }

    public void Dispose()
    {
        _supervisor.Dispose();
        _repo.Dispose();
    }
}

internal static class ProcessExtensions
{
    public static int WaitForExitAndCode(this System.Diagnostics.Process process)
    {
        using (process)
        {
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
