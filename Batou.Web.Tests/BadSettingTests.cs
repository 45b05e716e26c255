using System.Diagnostics;
using Batou.Web.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Batou.Web.Tests;

/// <summary>
/// A setting that cannot be read as its type stops the dashboard's start with one line naming the setting, where it
/// comes from and what it should be: no stack trace, no value repeated, exit code 2.
/// </summary>
public sealed class BadSettingTests
{
    private sealed class Shapes
    {
        public int Count { get; set; }
        public TimeSpan Wait { get; set; }
        public bool On { get; set; }
        public DayOfWeek Day { get; set; }
    }

    [Theory]
    [InlineData("Count", "a whole number")]
    [InlineData("Wait", "a duration (hh:mm:ss, e.g. 00:05:00)")]
    [InlineData("On", "true or false")]
    [InlineData("Day", "one of Sunday, Monday")]
    public void A_binder_error_becomes_one_line_naming_the_setting(string property, string expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([new($"Batou:Shapes:{property}", "canary-bad-value")]).Build();
        var error = Assert.ThrowsAny<InvalidOperationException>(() => config.GetSection("Batou:Shapes").Get<Shapes>());

        var message = BadSetting.Describe(new AggregateException(error));   // found inside whatever wraps it

        Assert.NotNull(message);
        Assert.Contains($"the setting Batou:Shapes:{property} is not {expected}", message, StringComparison.Ordinal);
        Assert.Contains($"Batou__Shapes__{property}", message, StringComparison.Ordinal);
        Assert.DoesNotContain("canary-bad-value", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_errors_are_not_taken_for_a_bad_setting() =>
        Assert.Null(BadSetting.Describe(new InvalidOperationException("Failed to convert configuration value 'x' at 'A:B' to type 'System.Int32'.")));

    [Theory]
    [InlineData("Batou__Engine__PoolSize", "Batou:Engine:PoolSize", "a whole number")]           // read while the services are set up
    [InlineData("Batou__Webhooks__RetrySeconds", "Batou:Webhooks:RetrySeconds", "a number (e.g. 2.5)")]   // options checked on start
    public async Task The_dashboard_does_not_start_and_says_which_setting(string variable, string key, string expected)
    {
        var data = Directory.CreateTempSubdirectory("batou-bad-setting-");
        try
        {
            var psi = DashboardProcess.StartInfo(data.FullName, "http://127.0.0.1:0", "none", data.FullName);
            psi.Environment[variable] = "canary-bad-value";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout + await stderr;

            Assert.Equal(2, process.ExitCode);
            Assert.Contains($"batou dashboard: the setting {key} is not {expected}", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("canary-bad-value", output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
