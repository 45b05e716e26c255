using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

/// <summary>Every kind of bad input ends in a clear message naming file and line, host or component; never a stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private const string Hello = """
        public sealed class Hello : Component
        {
            public int Port { get; set; } = 8080;
            protected override void Configure() => Add(new File("hello") { Content = $"port {Port}\n" });
        }
        """;

    private readonly TestRepository _repo = new();

    private (int Code, string Out) Deploy(string env = "test", params string[] extra)
    {
        var (code, stdout, stderr) = Fixtures.Cli.Run(_repo.Root, ["deploy", .. extra, env]);
        Assert.DoesNotContain("   at ", stdout + stderr);   // no raw .NET stack traces for user errors
        return (code, stdout);
    }

    [Fact]
    public void Syntax_errors_in_two_components_are_reported_together_with_file_and_line()
    {
        _repo.Component("hello", Hello)
            .Component("broken", "public sealed class Broken : Component\n{\n    protected override void Configure() { var x = ; }\n}\n")
            .Component("other", "public sealed class Other : Component\n{\n    public int X => undefinedName;\n}\n")
            .LocalEnvironment("hello");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Equal(2, CountOf(output, "ERROR: Failed loading component file"));
        Assert.Contains("components/broken/component.cs:3:", output);
        Assert.Contains("components/other/component.cs:3:", output);
        Assert.Contains("CS0103", output);
        Assert.Contains("DEPLOYMENT FAILED (during load)", output);
        Assert.False(File.Exists(_repo.Work("hello/hello")));
    }

    [Fact]
    public void Unknown_component_in_hosts_names_the_component_the_line_and_the_known_ones()
    {
        _repo.Component("hello", Hello).LocalEnvironment("hello, nosuchthing");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Missing component", output);
        Assert.Contains("      Component: nosuchthing", output);
        Assert.Contains("environments/test/environment.cfg:5", output);
        Assert.Contains("          Known: hello", output);
    }

    [Fact]
    public void A_host_defined_twice_is_an_error_naming_both_lines()
    {
        _repo.Component("hello", Hello)
            .Environment("test", "[environment]\nconnect_method = local\n[hosts]\nlocalhost = hello\n[host:localhost]\ncomponents = hello\n");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Host defined more than once", output);
        Assert.Contains("           Host: localhost", output);
        Assert.Contains("environment.cfg:4", output);
        Assert.Contains("environment.cfg:5", output);
    }

    [Fact]
    public void Override_of_an_unknown_setting_and_a_failed_conversion_are_reported_together()
    {
        _repo.Component("hello", Hello)
            .LocalEnvironment("hello", "[component:hello]\nport = eighty\nno_such_setting = 1\n");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Overrides for undefined attributes", output);
        Assert.Contains("     Attributes: no_such_setting", output);
        Assert.Contains("      Available: port", output);
        Assert.Contains("ERROR: Cannot convert the value of setting `port`", output);
        Assert.Contains("environments/test/environment.cfg:7", output);
        Assert.Contains("ERRORS - CONFIGURATION FAILED", output);
        Assert.Contains("DEPLOYMENT FAILED (during connect)", output);
    }

    [Fact]
    public void Dependency_cycle_is_shown_as_a_cycle()
    {
        _repo.Component("a", "public sealed class A : Component { protected override void Configure() { Require(\"b\"); Provide(\"a\", 1); } }")
            .Component("b", "public sealed class B : Component { protected override void Configure() { Require(\"a\"); Provide(\"b\", 2); } }")
            .LocalEnvironment("a, b");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Found dependency cycle", output);
        Assert.Contains("localhost:a depends on", output);
        Assert.Contains("        localhost:b", output);
    }

    [Fact]
    public void Template_with_an_unknown_name_names_the_template_and_line()
    {
        _repo.Component("hello", "public sealed class Hello : Component { protected override void Configure() => Add(new File(\"app.conf\")); }")
            .Write("components/hello/app.conf", "first line\nport = {{component.Nope}}\n")
            .LocalEnvironment("hello");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: An error occurred while rendering a template", output);
        Assert.Contains("components/hello/app.conf:2", output);
        Assert.Contains("unknown name `component.Nope`", output);
    }

    [Fact]
    public void File_with_neither_content_nor_source_explains_both_ways_out()
    {
        _repo.Component("hello", "public sealed class Hello : Component { protected override void Configure() => Add(new File(\"missing.txt\")); }")
            .LocalEnvironment("hello");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: hello: Missing implicit template file", output);
        Assert.Contains("components/hello/missing.txt", output);
        Assert.Contains("Content = \"\"", output);
    }

    [Fact]
    public void Exception_in_configure_names_component_exception_and_source_line()
    {
        _repo.Component("hello", "public sealed class Hello : Component\n{\n    protected override void Configure()\n    {\n        throw new InvalidOperationException(\"no database configured\");\n    }\n}\n")
            .LocalEnvironment("hello");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Error while configuring component", output);
        Assert.Contains("      Component: hello", output);
        Assert.Contains("InvalidOperationException: no database configured", output);
        Assert.Contains("components/hello/component.cs:5", output);
    }

    [Fact]
    public void Unexpected_exception_in_update_names_host_component_and_step_and_stops_later_components()
    {
        _repo.Component("failing", "public sealed class Failing : Component\n{\n    protected override void Verify() => throw new UpdateNeeded(\"always\");\n    protected override void Update()\n    {\n        throw new InvalidOperationException(\"disk full\");\n    }\n}\n")
            .Component("after", "public sealed class After : Component { protected override void Configure() { Require(\"x\"); Add(new File(\"after\") { Content = \"x\" }); } }")
            .Component("provider", "public sealed class Provider : Component { protected override void Configure() { Provide(\"x\", 1); } protected override void Verify() => throw new UpdateNeeded(\"go\"); protected override void Update() => throw new InvalidOperationException(\"first failure\"); }")
            .LocalEnvironment("failing");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: InvalidOperationException: disk full", output);
        Assert.Contains("           Host: localhost", output);
        Assert.Contains("      Component: Failing", output);
        Assert.Contains("           Step: update", output);
        Assert.Contains("components/failing/component.cs:6", output);
        Assert.Contains("DEPLOYMENT FAILED (during deploy)", output);
    }

    [Fact]
    public void A_failing_command_shows_exit_code_stdout_and_stderr()
    {
        _repo.Component("failing", "public sealed class Failing : Component { protected override void Verify() => throw new UpdateNeeded(\"always\"); protected override void Update() => Cmd(\"echo out; echo err >&2; exit 3\"); }")
            .LocalEnvironment("failing");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Command failed: echo out; echo err >&2; exit 3", output);
        Assert.Contains("    Return code: 3", output);
        Assert.Contains("STDOUT\nout\nSTDERR\nerr", output);
    }

    [Fact]
    public void A_second_deployment_while_the_lock_is_held_is_refused()
    {
        _repo.Component("hello", Hello).LocalEnvironment("hello");
        using (new FileStream(_repo.PathOf(".batou-lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, output) = Deploy();
            Assert.Equal(1, code);
            Assert.Contains("ERROR: Could not acquire lock .batou-lock", output);
            Assert.Contains("Another instance of batou is currently deploying", output);
            Assert.False(File.Exists(_repo.Work("hello/hello")));
        }
        Assert.Equal(0, Deploy().Code);
    }

    [Fact]
    public void Unknown_sections_are_errors_and_unknown_keys_are_warnings()
    {
        _repo.Component("hello", Hello)
            .Environment("test", "[environment]\nconnect_method = local\ndevelop = /opt/batou\n[hosts]\nlocalhost = hello\n[superfluous]\nx = 1\n");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("WARN: Unknown key `develop` in [environment] is ignored", output);
        Assert.Contains("environment.cfg:3", output);
        Assert.Contains("ERROR: Superfluous section in environment configuration", output);
        Assert.Contains("environment.cfg:6", output);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    public void Dispose() => _repo.Dispose();
}
