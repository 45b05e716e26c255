using Batou.Web.Engine;
using Microsoft.Extensions.Configuration;

namespace Batou.Web.Tests;

/// <summary>How the dashboard reads <c>Batou:Engine:…</c>: the pool of warm engine processes is on unless set.</summary>
public sealed class DashboardEngineOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Without_the_setting_the_dashboard_keeps_two_warm_engines() =>
        Assert.Equal(DashboardEngineOptions.DefaultPoolSize, DashboardEngineOptions.Read(Config()).PoolSize);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    public void A_configured_pool_size_is_taken_as_given(string value, int expected) =>
        Assert.Equal(expected, DashboardEngineOptions.Read(Config(("Batou:Engine:PoolSize", value))).PoolSize);

    [Fact]
    public void The_other_engine_settings_are_still_read_beside_the_default()
    {
        var options = DashboardEngineOptions.Read(Config(("Batou:Engine:CancelGrace", "00:00:07")));
        Assert.Equal(TimeSpan.FromSeconds(7), options.CancelGrace);
        Assert.Equal(2, options.PoolSize);
    }
}
