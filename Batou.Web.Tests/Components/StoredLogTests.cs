using System.Text.Json.Serialization;
using Batou.Engine.Api;
using Batou.Web.Components.LiveLog;
using Batou.Web.Components.Shared;
using Batou.Web.Data;
using Batou.Web.Live;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Batou.Web.Tests.Components;

/// <summary>
/// A finished deployment's log opens at its tail and pages older rows in from a real database (SQLite, and PostgreSQL
/// when BATOU_TEST_PG names one): every row exactly once and in order across page borders, with and without command
/// output; filters by host, component, level and text read every row first and then see all of them.
/// </summary>
public sealed class StoredLogTests : IAsyncLifetime
{
    private const int Lines = 3_000;
    private readonly BunitContext _ctx = LogPaneContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    public static TheoryData<DatabaseProvider> Providers() =>
        Environment.GetEnvironmentVariable("BATOU_TEST_PG") is { Length: > 0 } ? new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres } : new() { DatabaseProvider.Sqlite };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_finished_log_opens_at_its_tail_and_pages_every_row_once_in_order_in_both_views(DatabaseProvider provider)
    {
        await using var store = await StoredLogDb.CreateAsync(provider);
        var (id, output) = await store.SeedAsync(Lines);
        using var lease = await store.Logs.OpenAsync(id);
        var log = lease.Log;
        Assert.NotNull(log.Stored);                                   // only the tail was read
        Assert.Equal(Lines, log.Count);
        Assert.Equal(Lines, log.LastSeq);
        // every state event, also those long before the tail; the menus know the hosts and roots of the whole log
        Assert.Equal(["RootScheduled", "RootFinished", "DeploymentFinished"], log.StatesFrom(0).Select(e => e.GetType().Name));
        Assert.Contains("chatty", log.Origins().Components);

        foreach (var withOutput in new[] { false, true })
        {
            var expected = Enumerable.Range(1, Lines).Where(s => withOutput || !output.Contains(s)).ToList();
            var view = new LogView(log, new LogFilter(Output: withOutput));
            Assert.Equal(expected.Count, view.Refresh());
            Assert.Equal(expected[^500..], view.Tail(500).Select(r => r.Seq));   // held in memory: the prerendered tail
            // paged from the end to the start in pages of 97 (borders fall anywhere): each seq once, in order
            var pages = new List<IReadOnlyList<LogRow>>();
            for (var end = view.Shown; end > 0; end -= 97)
                pages.Insert(0, await view.RowsAsync(Math.Max(0, end - 97), Math.Min(97, end), CancellationToken.None));
            Assert.Equal(expected, pages.SelectMany(p => p).Select(r => r.Seq));
            Assert.All(pages.SelectMany(p => p), r => Assert.Equal(withOutput && output.Contains(r.Seq), r.Output));
        }
        Assert.NotNull(log.Stored);                                   // paging never read the whole log

        // a search needs every row: read once, then it sees the lines long before the tail
        await log.EnsureAllAsync();
        Assert.Null(log.Stored);
        var search = new LogView(log, new LogFilter(Search: "chatty line 12", Output: false));
        search.Refresh();
        Assert.Equal(["chatty line 12", .. Enumerable.Range(120, 10).Where(i => i % 7 != 0).Select(i => $"chatty line {i}"),
                         .. Enumerable.Range(1200, 100).Where(i => i % 7 != 0).Select(i => $"chatty line {i}")],
            search.Rows(0, 1000).Select(r => r.Text[(r.Text.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
        Assert.Equal(Lines, log.Count);
    }

    [Fact]
    public async Task Scrolled_up_the_pane_reads_older_rows_from_the_database_and_a_filter_sees_the_whole_log()
    {
        await using var store = await StoredLogDb.CreateAsync(DatabaseProvider.Sqlite);
        var (id, output) = await store.SeedAsync(Lines);
        using var lease = await store.Logs.OpenAsync(id);
        var log = lease.Log;
        var plain = Enumerable.Range(1, Lines).Where(s => !output.Contains(s)).ToList();
        _ctx.Render<MudPopoverProvider>();
        var pane = _ctx.Render<LogPane>(p => p.Add(x => x.Log, log));
        // the followed tail: the last rows, command output folded away
        Assert.Equal(plain[^LogLines.TailRows..].Select(s => s.ToString()), pane.FindAll("#log .log-line").Select(l => l.GetAttribute("data-seq")));
        Assert.Equal($"{plain.Count} lines", pane.Find("#log-count").TextContent);

        var lines = pane.FindComponent<LogLines>();
        await lines.InvokeAsync(() => lines.Instance.SetFollowing(false));
        pane.WaitForAssertion(() => Assert.Equal("virtual", pane.Find("#log").GetAttribute("data-mode")));
        var provider = pane.FindComponent<Virtualize<LogRow>>().Instance.ItemsProvider!;
        // what Virtualize asks for while the reader scrolls from the end to the top, as it asks: start and count
        var seen = new List<int>();
        for (var start = plain.Count - 90; start > -90; start -= 90)
        {
            var page = await provider(new ItemsProviderRequest(Math.Max(0, start), Math.Min(90, start + 90), CancellationToken.None));
            Assert.Equal(plain.Count, page.TotalItemCount);
            seen.InsertRange(0, page.Items.Select(r => r.Seq));
        }
        Assert.Equal(plain, seen);
        Assert.NotNull(log.Stored);

        // command output shown: still paged, now over every line
        var switches = pane.FindComponent<MudSwitch<bool>>();
        await pane.InvokeAsync(() => switches.Instance.ValueChanged.InvokeAsync(true));
        pane.WaitForAssertion(() => Assert.Equal($"{Lines} lines", pane.Find("#log-count").TextContent));
        var top = await provider(new ItemsProviderRequest(0, 50, CancellationToken.None));
        Assert.Equal(Enumerable.Range(1, 50), top.Items.Select(r => r.Seq));
        Assert.NotNull(log.Stored);

        // by host: every row is read, the count and the rows are those of the whole log
        var host = pane.FindComponents<MudSelect<string>>()[0];
        await pane.InvokeAsync(() => host.Instance.ValueChanged.InvokeAsync("web2"));
        var web2 = Enumerable.Range(1, Lines - 4).Where(i => i % 5 == 0 && i % 7 != 0).ToList();
        pane.WaitForAssertion(() => Assert.Equal($"{web2.Count} lines", pane.Find("#log-count").TextContent));
        Assert.Null(log.Stored);
        var filtered = await provider(new ItemsProviderRequest(0, 10, CancellationToken.None));
        Assert.Equal(web2.Take(10).Select(i => $"web2 > Chatty: chatty line {i}"), filtered.Items.Select(r => r.Text));
    }

    [Fact]
    public async Task A_deployment_that_ended_in_this_process_moments_ago_opens_at_its_tail_from_the_database()
    {
        await using var store = await StoredLogDb.CreateAsync(DatabaseProvider.Sqlite);
        var (id, _) = await store.SeedAsync(Lines);
        // the hub keeps an ended deployment for 30 s; its status is stored after its last event
        store.Hub.Start(id);
        store.Hub.Publish(id, new Batou.Web.Deployments.LiveEvent(1, nameof(DeploymentStarted), EventJson.Serialize(new DeploymentStarted("big", DeploymentMode.Deploy, "0.1.0", 1))));
        store.Hub.Finish(id, "succeeded");
        using var lease = await store.Logs.OpenAsync(id);
        Assert.False(lease.Log.Live);
        Assert.NotNull(lease.Log.Stored);                             // not a replay of the hub's events into memory
        Assert.Equal(Lines, lease.Log.Count);
        Assert.Equal(Lines, lease.Log.LastSeq);
    }

    [Fact]
    public void Every_event_type_is_one_log_line()
    {
        // the stored log counts and pages lines by event seq: an event without a line would shift every position after it
        var types = typeof(DeploymentEvent).GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>().ToList();
        Assert.True(types.Count > 20);
        foreach (var t in types)
        {
            var e = (DeploymentEvent)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t.DerivedType);
            Assert.True(SafeLine(e), $"{t.DerivedType.Name} has no log line");
        }
    }

    private static bool SafeLine(DeploymentEvent e)
    {
        try
        {
            return Batou.Web.Deployments.LogFormatter.Line(e) is not null;
        }
        catch (Exception x) when (x is NullReferenceException or ArgumentNullException)
        {
            return true;   // formatting an uninitialised record's fields failed, but its type has a line
        }
    }
}
