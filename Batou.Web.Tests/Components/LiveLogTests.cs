using Batou.Engine.Api;
using Batou.Web.Components.LiveLog;
using Batou.Web.Components.Shared;
using Batou.Web.Live;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Batou.Web.Tests.Components;

/// <summary>
/// The deployment page's live parts: a new log line re-renders only the lines (not the toolbar, not the graph), the
/// followed tail stays a small keyed list, and renders are paced by the browser's acknowledgements.
/// </summary>
public sealed class LiveLogTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = LogPaneContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private static IEnumerable<(int, DeploymentEvent)> Lines(int from, int count, string host = "localhost") =>
        Enumerable.Range(from, count).Select(i => (i, (DeploymentEvent)new LogLine(host, "Chatty", $"line {i}")));

    [Fact]
    public void A_new_line_renders_the_lines_and_counts_but_not_the_toolbar_and_the_followed_tail_stays_small()
    {
        var log = new DeploymentLog(1);
        log.Append(Lines(1, 500));
        _ctx.Render<MudPopoverProvider>();
        var pane = _ctx.Render<LogPane>(p => p.Add(x => x.Log, log));
        var lines = pane.FindComponent<LogLines>();
        var toolbar = pane.FindComponents<MudSelect<string>>();
        var toolbarRenders = toolbar.Select(s => s.RenderCount).ToList();
        var lineRenders = lines.RenderCount;
        Assert.Equal(LogLines.TailRows, pane.FindAll("#log .log-line").Count);
        Assert.Equal("tail", pane.Find("#log").GetAttribute("data-mode"));

        log.Append(Lines(501, 1));
        pane.WaitForAssertion(() => Assert.EndsWith("line 501", pane.FindAll("#log .log-line")[^1].TextContent), TimeSpan.FromSeconds(5));
        Assert.True(lines.RenderCount > lineRenders, "the lines rendered");
        Assert.Equal(toolbarRenders, toolbar.Select(s => s.RenderCount).ToList());   // the page's menus did not
        var shown = pane.FindAll("#log .log-line");
        Assert.Equal(LogLines.TailRows, shown.Count);
        Assert.Equal($"{501 - LogLines.TailRows + 1}", shown[0].GetAttribute("data-seq"));   // the last TailRows rows, in order
        Assert.Equal("501 lines", pane.Find("#log-count").TextContent);
        Assert.Equal("501 events", pane.Find("#event-count").TextContent);
        Assert.Empty(pane.FindAll("#jump-to-end"));
    }

    [Fact]
    public void A_line_from_a_new_host_renders_the_toolbar_once_for_its_menu()
    {
        var log = new DeploymentLog(1);
        log.Append(Lines(1, 10));
        _ctx.Render<MudPopoverProvider>();
        var pane = _ctx.Render<LogPane>(p => p.Add(x => x.Log, log));
        var host = pane.FindComponents<MudSelect<string>>()[0];
        var before = host.RenderCount;
        log.Append(Lines(11, 1, host: "web2"));
        pane.WaitForAssertion(() => Assert.True(host.RenderCount > before), TimeSpan.FromSeconds(5));
        Assert.Equal(["localhost", "web2"], log.Origins().Hosts);
    }

    [Fact]
    public async Task Scrolled_up_the_lines_are_virtualised_and_offer_to_jump_back_to_the_followed_tail()
    {
        var log = new DeploymentLog(1);
        log.Append(Lines(1, 1000));
        _ctx.Render<MudPopoverProvider>();
        var pane = _ctx.Render<LogPane>(p => p.Add(x => x.Log, log));
        var lines = pane.FindComponent<LogLines>();
        await lines.InvokeAsync(() => lines.Instance.SetFollowing(false));
        pane.WaitForAssertion(() => Assert.Equal("virtual", pane.Find("#log").GetAttribute("data-mode")), TimeSpan.FromSeconds(5));
        Assert.NotNull(pane.FindComponent<Microsoft.AspNetCore.Components.Web.Virtualization.Virtualize<LogRow>>());
        pane.Find("#jump-to-end").Click();
        pane.WaitForAssertion(() => Assert.Equal("tail", pane.Find("#log").GetAttribute("data-mode")), TimeSpan.FromSeconds(5));
        Assert.EndsWith("line 1000", pane.FindAll("#log .log-line")[^1].TextContent);
        Assert.Empty(pane.FindAll("#jump-to-end"));
    }

    [Fact]
    public void The_graph_renders_and_repaints_only_when_its_states_change()
    {
        var states = new Dictionary<string, string> { ["localhost:chatty"] = "running" };
        var graph = _ctx.Render<DependencyGraph>(p => p.Add(x => x.Dot, "digraph { a }").Add(x => x.States, states));
        var renders = graph.RenderCount;
        graph.Render(p => p.Add(x => x.Dot, "digraph { a }").Add(x => x.States, states));   // the page rendered for something else
        Assert.Equal(renders, graph.RenderCount);
        graph.Render(p => p.Add(x => x.Dot, "digraph { a }").Add(x => x.States, new Dictionary<string, string> { ["localhost:chatty"] = "changed" }));
        Assert.Equal(renders + 1, graph.RenderCount);
        Assert.Equal(1, _ctx.JSInterop.Invocations.Count(i => i.Identifier == "setStates"));
    }

    [Fact]
    public void Changes_while_a_render_is_not_yet_acknowledged_fold_into_one_render_after_it()
    {
        var renders = 0;
        using var pacer = new RenderPacer(work => { work(); return Task.CompletedTask; }, () => renders++, TimeSpan.Zero);
        pacer.Notify();
        Assert.Equal(1, renders);                      // at once: nothing was on its way
        for (var i = 0; i < 100; i++) pacer.Notify();
        Assert.Equal(1, renders);                      // folded while the browser has not acknowledged
        pacer.Rendered();
        Assert.Equal(2, renders);                      // one render for all hundred
        pacer.Rendered();
        Assert.Equal(2, renders);                      // nothing new: nothing rendered
    }

    [Fact]
    public async Task A_render_that_is_never_acknowledged_holds_the_next_one_back_only_for_a_while()
    {
        var renders = 0;
        using var pacer = new RenderPacer(work => { work(); return Task.CompletedTask; }, () => Interlocked.Increment(ref renders), TimeSpan.FromMilliseconds(20));
        pacer.Notify();
        pacer.Notify();
        Assert.Equal(1, Volatile.Read(ref renders));
        await Task.Delay(RenderPacer.Stuck + TimeSpan.FromMilliseconds(200));
        pacer.Notify();                                // a lost acknowledgement: after Stuck the change goes out anyway
        Assert.Equal(2, Volatile.Read(ref renders));
    }

    [Fact]
    public async Task With_an_interval_a_change_after_an_acknowledged_render_waits_for_the_interval_and_still_renders()
    {
        var renders = new List<long>();
        var interval = TimeSpan.FromMilliseconds(300);
        using var pacer = new RenderPacer(work => { work(); return Task.CompletedTask; }, () => { lock (renders) renders.Add(Environment.TickCount64); },
            TimeSpan.Zero, interval);
        pacer.Notify();
        Assert.Single(renders);                        // the first change goes out at once
        pacer.Notify();
        pacer.Rendered();                              // acknowledged at once, but the interval has not passed
        lock (renders) Assert.Single(renders);
        for (var i = 0; i < 100 && Volatile.Read(ref renders).Count < 2; i++) await Task.Delay(20);
        lock (renders)
        {
            Assert.Equal(2, renders.Count);            // the folded change still renders, once
            Assert.True(renders[1] - renders[0] >= interval.TotalMilliseconds - 20, $"{renders[1] - renders[0]} ms apart");
        }
    }
}
