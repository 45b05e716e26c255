using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Model;

/// <summary>What a command prints reaches the event stream line by line while it runs (issue #8: a long migration shows progress).</summary>
public sealed class CommandOutputTests : IDisposable
{
    private readonly TestRepository _repo = new TestRepository()
        .Component("migrate", """
            public class Migrate : Component
            {
                protected override void Verify() => throw new UpdateNeeded("schema behind");
                protected override void Update()
                {
                    Cmd("for i in 1 2 3; do echo \"step $i\"; sleep 0.4; done; echo 'warning: slow' >&2");
                    Cmd("echo quiet check", silent: true);
                }
            }
            """)
        .LocalEnvironment("migrate");

    [Fact]
    public void Each_line_is_an_event_when_printed_not_when_the_command_ends()
    {
        var result = _repo.Deploy();
        Assert.True(result.Success, result.ToString());
        var output = result.Of<CommandOutput>().ToList();
        Assert.Equal(["stdout step 1", "stdout step 2", "stdout step 3", "stderr warning: slow"], output.Select(o => $"{o.Stream} {o.Text}"));
        Assert.All(output, o => Assert.Equal(("localhost", "Migrate"), (o.Host, o.Breadcrumbs)));
        // streamed: the first line was emitted while the command still slept through two more steps
        Assert.True(output[2].At - output[0].At >= TimeSpan.FromMilliseconds(600), $"{output[0].At:O} .. {output[2].At:O}");
        // a silent command (a check) stays out of the stream
        Assert.DoesNotContain(output, o => o.Text.Contains("quiet", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cli_shows_command_output_only_when_verbose()
    {
        var (code, quiet, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "test");
        Assert.True(code == 0, quiet);
        Assert.DoesNotContain("step 2", quiet, StringComparison.Ordinal);
        var (again, verbose, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "-v", "test");
        Assert.True(again == 0, verbose);
        Assert.Contains("localhost: | step 2", verbose, StringComparison.Ordinal);
        Assert.Contains("localhost: ! warning: slow", verbose, StringComparison.Ordinal);
    }

    public void Dispose() => _repo.Dispose();
}
