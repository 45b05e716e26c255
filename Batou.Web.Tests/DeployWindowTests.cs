using Batou.Web.Governance.Approvals;

namespace Batou.Web.Tests;

/// <summary>Deploy windows and freezes in an IANA time zone, across a daylight saving change, and bad input.</summary>
public sealed class DeployWindowTests
{
    private static DeployWindow Parse(string zone, string windows, string freezes = "")
    {
        var (w, error) = DeployWindow.Parse(zone, windows, freezes);
        Assert.Null(error);
        return w!;
    }

    [Fact]
    public void A_window_means_local_wall_clock_time_on_both_sides_of_a_DST_change()
    {
        var w = Parse("Europe/Berlin", "Mon-Fri 09:00-17:00");
        // Friday 27 March 2026: Berlin is UTC+1; 08:30 UTC is 09:30 there
        Assert.True(w.At(new DateTimeOffset(2026, 3, 27, 8, 30, 0, TimeSpan.Zero)).Open);
        Assert.False(w.At(new DateTimeOffset(2026, 3, 27, 7, 30, 0, TimeSpan.Zero)).Open);
        // Monday 30 March 2026, after the change on Sunday 29th: UTC+2; 07:30 UTC is 09:30 there, 15:30 UTC is 17:30
        Assert.True(w.At(new DateTimeOffset(2026, 3, 30, 7, 30, 0, TimeSpan.Zero)).Open);
        Assert.False(w.At(new DateTimeOffset(2026, 3, 30, 15, 30, 0, TimeSpan.Zero)).Open);
        // the weekend is closed, and the reason says so in local time
        var sunday = w.At(new DateTimeOffset(2026, 3, 29, 10, 0, 0, TimeSpan.Zero));
        Assert.False(sunday.Open);
        Assert.Contains("Sun 12:00", sunday.Reason);
        Assert.Contains("Europe/Berlin", sunday.Reason);
    }

    [Fact]
    public void The_hour_skipped_by_the_spring_change_never_opens_a_window_set_inside_it()
    {
        var w = Parse("Europe/Berlin", "Sun 02:00-03:00");
        // 01:00 UTC on 29 March 2026 is 03:00 CEST: the local hour 02:00-03:00 does not exist that night
        Assert.False(w.At(new DateTimeOffset(2026, 3, 29, 0, 59, 0, TimeSpan.Zero)).Open);
        Assert.False(w.At(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)).Open);
        // a week earlier (winter time) the same window is open at 01:30 UTC = 02:30 CET
        Assert.True(w.At(new DateTimeOffset(2026, 3, 22, 1, 30, 0, TimeSpan.Zero)).Open);
    }

    [Fact]
    public void A_freeze_closes_an_open_window_and_names_itself()
    {
        var w = Parse("America/New_York", "", "2026-12-24 00:00 to 2026-12-27 00:00");
        var frozen = w.At(new DateTimeOffset(2026, 12, 24, 12, 0, 0, TimeSpan.Zero));
        Assert.False(frozen.Open);
        Assert.Contains("Frozen", frozen.Reason);
        // 04:00 UTC on the 24th is still the 23rd in New York
        Assert.True(w.At(new DateTimeOffset(2026, 12, 24, 4, 0, 0, TimeSpan.Zero)).Open);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "", "", "Unknown time zone \"Mars/Olympus_Mons\"")]
    [InlineData("UTC", "weekdays 9-5", "", "is not like")]
    [InlineData("UTC", "Mon-Fri 17:00-09:00", "", "start before the end")]
    [InlineData("UTC", "Mon-Fun 09:00-17:00", "", "unknown day")]
    [InlineData("UTC", "", "christmas", "Freeze \"christmas\"")]
    public void Bad_input_is_refused_with_a_reason(string zone, string windows, string freezes, string expected)
    {
        var (w, error) = DeployWindow.Parse(zone, windows, freezes);
        Assert.Null(w);
        Assert.Contains(expected, error);
    }
}
