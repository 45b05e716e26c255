using Batou.Web.Ssh;

namespace Batou.Web.Tests.Ssh;

/// <summary><c>Batou:Ssh:Warm</c>: the dashboard's warm mode is on by default (5 minutes), and a bad value stops the start naming the setting.</summary>
public sealed class WarmSettingTests
{
    [Fact]
    public void Warm_mode_is_on_by_default_and_a_bad_duration_is_refused_naming_the_setting()
    {
        var validator = new ValidateDashboardSshOptions();
        Assert.Equal("5m", new DashboardSshOptions().Warm);
        Assert.True(validator.Validate(null, new DashboardSshOptions()).Succeeded);
        Assert.True(validator.Validate(null, new DashboardSshOptions { Warm = "0" }).Succeeded);
        var bad = validator.Validate(null, new DashboardSshOptions { Warm = "forever" });
        Assert.True(bad.Failed);
        Assert.StartsWith("Batou:Ssh:Warm: `forever` is not a duration", bad.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new DashboardSshOptions { Warm = "2d" }).Failed);
    }
}
