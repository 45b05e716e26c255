using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

/// <summary>
/// Non-finite and out-of-range numbers and durations, wherever they are written (environment.cfg,
/// component settings, command-line options), end as a clear error naming the file and line; the
/// CLI never crashes on them.
/// </summary>
public sealed class NumericSettingTests : IDisposable
{
    private const string Tuned = """
        public sealed class Tuned : Component
        {
            public double Ratio { get; set; } = 0.5;
            public float Weight { get; set; } = 1;
            public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(1);
            public int Count { get; set; } = 1;
            protected override void Configure() => Add(new File("tuned") { Content = $"{Ratio} {Weight} {Wait} {Count}\n" });
        }
        """;

    private readonly TestRepository _repo = new();

    private (int Code, string Out) Deploy(params string[] extra)
    {
        var (code, stdout, stderr) = Fixtures.Cli.Run(_repo.Root, ["deploy", .. extra, "test"]);
        var all = stdout + stderr;
        Assert.DoesNotContain("Unhandled exception", all);
        Assert.DoesNotContain("   at ", all);
        Assert.DoesNotContain("this is a bug in batou", all);
        Assert.NotEqual(134, code);
        return (code, all);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e300")]
    [InlineData("1e300s")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("-00:05:00")]
    [InlineData("99999999d")]
    [InlineData("3000000h")]
    public void A_timeout_that_is_not_a_usable_duration_names_file_and_line(string timeout)
    {
        _repo.Component("tuned", Tuned)
            .Environment("test", $"[environment]\nconnect_method = local\ntimeout = {timeout}\n\n[hosts]\nlocalhost = tuned\n");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Invalid value for `timeout`", output);
        Assert.Contains("environments/test/environment.cfg:3", output);
        Assert.Contains("DEPLOYMENT FAILED (during load)", output);
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("NaN")]
    [InlineData("99999999999")]
    [InlineData("100000")]
    [InlineData("-1")]
    public void Jobs_out_of_range_names_file_and_line(string jobs)
    {
        _repo.Component("tuned", Tuned)
            .Environment("test", $"[environment]\nconnect_method = local\njobs = {jobs}\n\n[hosts]\nlocalhost = tuned\n");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Invalid value for `jobs`", output);
        Assert.Contains("environments/test/environment.cfg:3", output);
    }

    [Theory]
    [InlineData("ratio", "NaN")]
    [InlineData("ratio", "Infinity")]
    [InlineData("ratio", "1e400")]
    [InlineData("weight", "1e300")]
    [InlineData("weight", "-Infinity")]
    [InlineData("wait", "NaN")]
    [InlineData("wait", "1e300")]
    [InlineData("wait", "-5s")]
    [InlineData("count", "1e300")]
    public void A_component_setting_out_of_range_is_a_conversion_error_with_file_and_line(string key, string value)
    {
        _repo.Component("tuned", Tuned).LocalEnvironment("tuned", $"[component:tuned]\n{key} = {value}\n");
        var (code, output) = Deploy();
        Assert.Equal(1, code);
        Assert.Contains($"ERROR: Cannot convert the value of setting `{key}`", output);
        Assert.Contains("environments/test/environment.cfg:7", output);
        Assert.False(File.Exists(_repo.Work("tuned/tuned")));
    }

    [Theory]
    [InlineData("-t", "NaN")]
    [InlineData("-t", "Infinity")]
    [InlineData("-t", "1e300")]
    [InlineData("-t", "-3")]
    [InlineData("-t", "0")]
    [InlineData("-j", "1e300")]
    [InlineData("-j", "0")]
    [InlineData("-j", "100000")]
    public void Command_line_numbers_out_of_range_are_refused_with_a_message(string option, string value)
    {
        _repo.Component("tuned", Tuned).LocalEnvironment("tuned");
        var (code, output) = Deploy(option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(option == "-t" ? "--timeout" : "--jobs", output);
        Assert.False(File.Exists(_repo.Work("tuned/tuned")));
    }

    [Fact]
    public void Reasonable_values_still_work()
    {
        _repo.Component("tuned", Tuned)
            .Environment("test", "[environment]\nconnect_method = local\ntimeout = 2m\njobs = 4\n\n[hosts]\nlocalhost = tuned\n\n[component:tuned]\nratio = 1e-3\nweight = 2.5\nwait = 1.5s\ncount = -3\n");
        var (code, output) = Deploy("-t", "90", "-j", "2");
        Assert.True(code == 0, output);
        Assert.Equal("0.001 2.5 00:00:01.5000000 -3\n", File.ReadAllText(_repo.Work("tuned/tuned")));
    }

    public void Dispose() => _repo.Dispose();
}
