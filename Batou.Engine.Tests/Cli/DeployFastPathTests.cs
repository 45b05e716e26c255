using System.Text.RegularExpressions;
using Batou.Cli.Commands;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

/// <summary>
/// <c>batou deploy</c>'s fast path (no System.CommandLine for the everyday forms) reads exactly what the full parser reads,
/// and leaves everything else — help, errors, unusual spellings — to the full parser.
/// </summary>
public sealed class DeployFastPathTests : IDisposable
{
    public static TheoryData<string> Everyday => new()
    {
        "deploy local",
        "deploy -P local",
        "deploy --predict-only local",
        "deploy -c local",
        "deploy --consistency-only --local production",
        "deploy -P -L production",
        "deploy local -P -D -v",
        "deploy --dirty --verbose local",
        "deploy -j 4 ssh",
        "deploy --jobs 12 ssh",
        "deploy -j 0 ssh",
        "deploy -j 007 ssh",
        "deploy -p nixos local",
        "deploy --platform  local",
        "deploy -t 30s local",
        "deploy --timeout 90 local",
        "deploy -C /tmp/repo local",
        "deploy --directory ../x local",
        "deploy --only hello@web1 local",
        "deploy --only a,b --only c local",
        "deploy --only  local",
        "deploy --warm 5m ssh",
        "deploy --no-warm ssh",
        "deploy --warm 5m --no-warm ssh",
        "deploy -L local",
        "deploy local-2.example",
    };

    [Theory]
    [MemberData(nameof(Everyday))]
    public void Reads_the_everyday_forms_exactly_as_the_full_parser_does(string line)
    {
        var args = Split(line);
        var fast = DeployFastPath.TryParse(args);
        var full = DeployCommand.ReadWithFullParser(args);

        Assert.NotNull(fast);
        Assert.NotNull(full);
        Assert.Equal(full with { Only = [] }, fast with { Only = [] });
        Assert.Equal(full.Only, fast.Only);
    }

    [Theory]
    [InlineData("deploy")]                          // no environment: the full parser's error
    [InlineData("deploy --help")]
    [InlineData("deploy -h local")]
    [InlineData("deploy -? local")]
    [InlineData("deploy a b")]                      // a second environment
    [InlineData("deploy -Pc local")]                // bundled options
    [InlineData("deploy --jobs=4 local")]
    [InlineData("deploy -j4 local")]
    [InlineData("deploy -j -1 local")]
    [InlineData("deploy -j +1 local")]
    [InlineData("deploy -j four local")]
    [InlineData("deploy -j 9999999999 local")]
    [InlineData("deploy -j 1 -j 2 local")]          // a repeated option
    [InlineData("deploy -P -P local")]
    [InlineData("deploy -P true local")]            // a boolean option's value
    [InlineData("deploy -P False")]
    [InlineData("deploy @args.rsp")]                // a response file
    [InlineData("deploy local --unknown")]
    [InlineData("deploy -t")]                       // an option without its value
    [InlineData("deploy local -t")]
    [InlineData("deploy -C -P local")]
    [InlineData("deploy -- local")]
    [InlineData("deploy - local")]
    [InlineData("deploy [diagram] local")]
    [InlineData("secrets edit local")]
    [InlineData("agent")]
    [InlineData("deploy --PREDICT-ONLY local")]
    public void Leaves_everything_else_to_the_full_parser(string line) =>
        Assert.Null(DeployFastPath.TryParse(Split(line)));

    [Fact]
    public void An_empty_environment_name_goes_to_the_full_parser() =>
        Assert.Null(DeployFastPath.TryParse(["deploy", ""]));

    private readonly TestRepository _repo = new();

    [Fact]
    public void A_deployment_through_the_fast_path_prints_what_the_full_parser_run_prints()
    {
        _repo.Component("hello", """
                public sealed class Hello : Component
                {
                    protected override void Configure() => Add(new File("hello") { Content = "hi\n" });
                }
                """)
            .LocalEnvironment("hello");
        Assert.Equal(0, Fixtures.Cli.Run(_repo.Root, "deploy", "test").ExitCode);

        var fast = Fixtures.Cli.Run(_repo.Root, "deploy", "-P", "--jobs", "1", "test");     // the fast path
        var full = Fixtures.Cli.Run(_repo.Root, "deploy", "-P", "--jobs=1", "test");        // the same through System.CommandLine
        var error = Fixtures.Cli.Run(_repo.Root, "deploy", "-P", "--jobs", "0", "test");   // a fast-path form with a bad value

        Assert.Equal((full.ExitCode, Timeless(full.Stdout), full.Stderr), (fast.ExitCode, Timeless(fast.Stdout), fast.Stderr));
        Assert.Contains("DEPLOYMENT PREDICTION FINISHED", fast.Stdout);
        Assert.Equal(1, error.ExitCode);
        Assert.Contains("--jobs must be from 1 to", error.Stdout);
    }

    private static string Timeless(string output) => Regex.Replace(output, @"\d+\.\d+s", "T");

    private static string[] Split(string line) => line.Split(' ');

    public void Dispose() => _repo.Dispose();
}
