using Batou.Engine.Api;
using Batou.Web.Components.LiveLog;
using Batou.Web.Components.Shared;
using Batou.Web.Live;
using Bunit;
using MudBlazor;

namespace Batou.Web.Tests.Components;

/// <summary>
/// The counts under a live log show at most every <see cref="LogCounts.IntervalMs"/> while lines stream (each change
/// costs every watching browser a layout and paint), the lines are not held back, and the last counts always show.
/// </summary>
public sealed class LogCountsTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = LogPaneContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    [Fact]
    public void While_lines_stream_the_counts_render_less_often_than_the_lines_and_end_exact()
    {
        var log = new DeploymentLog(1);
        _ctx.Render<MudPopoverProvider>();
        var pane = _ctx.Render<LogPane>(p => p.Add(x => x.Log, log));
        var lines = pane.FindComponent<LogLines>();
        var counts = pane.FindComponent<LogCounts>();
        var (lineRenders, countRenders) = (lines.RenderCount, counts.RenderCount);
        for (var seq = 1; seq <= 20; seq++)
        {
            log.Append([(seq, new LogLine("localhost", "Chatty", $"line {seq}"))]);
            // every line reaches the pane in its own render
            pane.WaitForAssertion(() => Assert.Equal($"{seq}", pane.FindAll("#log .log-line")[^1].GetAttribute("data-seq")), TimeSpan.FromSeconds(5));
        }
        Assert.True(lines.RenderCount - lineRenders >= 20, $"{lines.RenderCount - lineRenders} renders of the lines");
        Assert.True(counts.RenderCount - countRenders < 20, $"{counts.RenderCount - countRenders} renders of the counts");
        pane.WaitForAssertion(() =>
        {
            Assert.Equal("20 lines", pane.Find("#log-count").TextContent);
            Assert.Equal("20 events", pane.Find("#event-count").TextContent);
        }, TimeSpan.FromSeconds(5));
    }
}
