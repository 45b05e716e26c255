using Batou.Engine.Api;
using Batou.Web.Components.LiveLog;
using Batou.Web.Components.Shared;
using Batou.Web.Live;
using Bunit;
using MudBlazor;

namespace Batou.Web.Tests.Components;

/// <summary>
/// The render interval of a live log pane grows with the number of panes watching the same log (their browsers share
/// the machine): counted per log while a pane is open, and every line still reaches each pane.
/// </summary>
public sealed class LogWatchersTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = LogPaneContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private static IEnumerable<(int, DeploymentEvent)> Lines(int from, int count) =>
        Enumerable.Range(from, count).Select(i => (i, (DeploymentEvent)new LogLine("localhost", "Chatty", $"line {i}")));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 3)]
    [InlineData(10, 30)]
    [InlineData(50, 150)]     // capped
    [InlineData(500, 150)]
    public void The_interval_grows_with_the_watchers_up_to_the_maximum(int watchers, int expectedMs)
    {
        var interval = LogWatchers.Interval(watchers, TimeSpan.Zero, TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(150));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), interval);
    }

    [Fact]
    public void The_configured_minimum_holds_when_few_watch_and_zero_per_watcher_turns_the_growth_off()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(40), LogWatchers.Interval(2, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(150)));
        Assert.Equal(TimeSpan.Zero, LogWatchers.Interval(50, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMilliseconds(150)));
    }

    [Fact]
    public async Task Open_panes_count_as_watchers_of_their_log_until_they_move_on_or_are_disposed_and_each_shows_every_new_line()
    {
        var log = new DeploymentLog(1);
        var other = new DeploymentLog(2);
        log.Append(Lines(1, 10));
        _ctx.Render<MudPopoverProvider>();
        var first = _ctx.Render<LogPane>(p => p.Add(x => x.Log, log));
        var second = _ctx.Render<LogPane>(p => p.Add(x => x.Log, log));
        var third = _ctx.Render<LogPane>(p => p.Add(x => x.Log, other));
        Assert.Equal(2, LogWatchers.Of(log));
        Assert.Equal(1, LogWatchers.Of(other));

        log.Append(Lines(11, 5));
        foreach (var pane in new[] { first, second })
            pane.WaitForAssertion(() => Assert.Equal("15", pane.FindAll("#log .log-line")[^1].GetAttribute("data-seq")), TimeSpan.FromSeconds(5));

        second.Render(p => p.Add(x => x.Log, other));   // the pane shows another deployment now
        Assert.Equal(1, LogWatchers.Of(log));
        Assert.Equal(2, LogWatchers.Of(other));
        await _ctx.DisposeComponentsAsync();
        Assert.Equal(0, LogWatchers.Of(log));
        Assert.Equal(0, LogWatchers.Of(other));
    }
}
