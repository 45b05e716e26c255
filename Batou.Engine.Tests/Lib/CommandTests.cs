using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class CommandTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private DeploymentResult Deploy(string body, DeploymentMode mode = DeploymentMode.Deploy, string extra = "")
    {
        _repo.Component("runner", $$"""
            public class Runner : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            {{extra}}
            """).LocalEnvironment("runner");
        return _repo.Deploy(mode: mode);
    }

    private string Work(string relative) => _repo.Work("runner/" + relative);

    private int Runs(string log = "runs.log") => File.Exists(Work(log)) ? File.ReadAllLines(Work(log)).Length : 0;

    private static string Watching(string content) => $$"""
        var config = Add(new File("app.conf") { Content = "{{content}}" });
        Add(new Command("reload") { Run = "echo reload >> runs.log", Watch = [config] });
        """;

    [Fact]
    public void Runs_when_a_watched_file_changes_and_not_on_the_next_deploy()
    {
        var first = Deploy(Watching("a"));
        Assert.True(first.Success, first.ToString());
        Assert.Contains("Runner > Command('reload')", first.Updated);
        Assert.Contains(first.Of<ComponentNeedsUpdate>(), e => e.Breadcrumbs == "Runner > Command('reload')" && e.Reason == "File('work/runner/app.conf') changed");
        Assert.Equal(1, Runs());

        var second = Deploy(Watching("a"));
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(1, Runs());

        var changed = Deploy(Watching("b"));
        Assert.True(changed.Success, changed.ToString());
        Assert.Equal(2, Runs());
    }

    [Fact]
    public void Unless_is_respected()
    {
        const string body = """Add(new Command("build") { Run = "echo build >> runs.log && touch built", Unless = "test -f built" });""";
        Assert.True(Deploy(body).Success);
        Assert.Equal(1, Runs());

        var second = Deploy(body);
        Assert.Empty(second.Updated);
        Assert.Equal(1, Runs());

        File.Delete(Work("built"));
        var third = Deploy(body);
        Assert.Contains(third.Of<ComponentNeedsUpdate>(), e => e.Reason == "`test -f built` exited with 1");
        Assert.Equal(2, Runs());
    }

    [Fact]
    public void Sub_components_added_by_a_subclass_trigger_it()
    {
        const string extra = """
            public class Build : Command
            {
                public Build() : base("build") { Run = "cat src.txt >> runs.log"; }
                protected override void ConfigureInputs() => Add(new File("src.txt") { Content = "compiled\n" });
            }
            """;
        var first = Deploy("Add(new Build());", extra: extra);
        Assert.True(first.Success, first.ToString());
        Assert.Equal("compiled\n", File.ReadAllText(Work("runs.log")));
        Assert.Empty(Deploy("Add(new Build());", extra: extra).Updated);
        Assert.Equal(1, Runs());
    }

    [Fact]
    public void Predicting_never_runs_it()
    {
        var result = Deploy("""Add(new Command("build") { Run = "echo build >> runs.log", Unless = "false" });""", DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["Runner > Command('build')"], result.Updated);
        Assert.False(File.Exists(Work("runs.log")));
    }

    [Fact]
    public void Without_a_trigger_it_is_a_configuration_error_unless_always_is_set()
    {
        var result = Deploy("""Add(new Command("migrate") { Run = "echo x >> runs.log" });""");
        Assert.False(result.Success);
        var message = result.Error("ConfigurationError").Message;
        Assert.Contains("Command(\"migrate\")", message);
        Assert.Contains("it would run on every deployment", message);
        Assert.Contains("Always = true", message);
        Assert.Equal(0, Runs());

        Assert.True(Deploy("""Add(new Command("migrate") { Run = "echo x >> runs.log", Always = true });""").Success);
        Assert.True(Deploy("""Add(new Command("migrate") { Run = "echo x >> runs.log", Always = true });""").Success);
        Assert.Equal(2, Runs());
    }

    [Fact]
    public void A_failing_command_fails_the_deployment_with_host_component_exit_code_and_output()
    {
        var result = Deploy("""Add(new Command("fail") { Run = "echo to-stdout; echo to-stderr >&2; exit 3", Always = true });""");
        Assert.False(result.Success);
        Assert.False(result.Finished.Success);
        Assert.Equal(Phase.Deploy, result.Finished.FailedDuring);
        var error = result.Of<ErrorRaised>().Select(e => e.Error).Single(e => e.Kind == "ComponentFailed");
        Assert.Equal("Command failed: echo to-stdout; echo to-stderr >&2; exit 3", error.Message);
        Assert.Equal("localhost", error.Host);
        Assert.Equal("Runner > Command('fail')", error.Component);
        Assert.Equal("3", error.Detail("Return code"));
        Assert.Equal("STDOUT\nto-stdout\nSTDERR\nto-stderr", error.Body);
    }

    [Fact]
    public void A_failed_run_is_retried_on_the_next_deploy_even_without_changes()
    {
        const string body = """
            var config = Add(new File("app.conf") { Content = "a" });
            Add(new Command("reload") { Run = "test -f fixed || exit 3; echo ok >> runs.log", Watch = [config] });
            """;
        Assert.False(Deploy(body).Success);
        Assert.Equal(0, Runs());

        File.WriteAllText(Work("fixed"), "");
        var retry = Deploy(body);
        Assert.True(retry.Success, retry.ToString());
        Assert.Contains(retry.Of<ComponentNeedsUpdate>(), e => e.Reason == "the previous run failed");
        Assert.Equal(1, Runs());
        Assert.Empty(Deploy(body).Updated);
    }

    [Fact]
    public void Watching_a_component_that_deploys_later_is_an_error()
    {
        var result = Deploy("""
            var config = new File("app.conf") { Content = "a" };
            Add(new Command("reload") { Run = "echo x >> runs.log", Watch = [config] });
            Add(config);
            """);
        Assert.False(result.Success);
        Assert.Contains("deploys after it", result.Error("ComponentFailed").Message);
        Assert.Equal(0, Runs());
    }

    [Fact]
    public void Run_is_required()
    {
        var result = Deploy("""Add(new Command("nothing") { Always = true });""");
        Assert.Contains("Command(\"nothing\"): Run is required.", result.Error("ConfigurationError").Message);
    }

    public void Dispose() => _repo.Dispose();
}
