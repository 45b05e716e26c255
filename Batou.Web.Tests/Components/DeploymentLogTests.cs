using Batou.Engine.Api;
using Batou.Web.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace Batou.Web.Tests.Components;

/// <summary>The shared in-memory log: filters, slices, state events and the activity feed's fan-out.</summary>
public sealed class DeploymentLogTests
{
    private static DeploymentLog Sample()
    {
        var log = new DeploymentLog(1);
        log.Append([
            (1, new DeploymentStarted("prod", DeploymentMode.Deploy, "0.1.0", 2)),
            (2, new ModelConfigured([new RootSummary("web1", "app", [], false, null), new RootSummary("db1", "database", [], false, null)])),
            (3, new LogLine("web1", "App > File('app.conf')", "writing app.conf")),
            (4, new LogLine("db1", "Database", "creating the role")),
            (5, new ErrorRaised(BatouError.Create("Component", "db1 > Database failed: role exists"))),
            (6, new ComponentNeedsUpdate("web1", "App > File('app.conf')", "content differs", false)),
        ]);
        return log;
    }

    [Fact]
    public void Rows_keep_their_order_host_component_and_level()
    {
        var log = Sample();
        var rows = log.Slice(0, 100);
        Assert.Equal([1, 2, 3, 4, 5, 6], rows.Select(r => r.Seq));
        Assert.Equal(("web1", "app"), (rows[2].Host, rows[2].Component));
        Assert.Equal(("db1", "database"), (rows[3].Host, rows[3].Component));
        Assert.Equal(Batou.Web.Live.LogLevel.Error, rows[4].Level);
        Assert.Equal(6, log.LastSeq);
    }

    [Fact]
    public void A_filter_finds_exactly_the_matching_rows_and_continues_from_where_it_stopped()
    {
        var log = Sample();
        var indexes = new List<int>();
        var examined = log.FilterInto(new LogFilter(Host: "web1"), indexes, 0);
        Assert.Equal(6, examined);
        Assert.Equal([3, 6], log.Pick(indexes, 0, 10).Select(r => r.Seq));
        log.Append([(7, new LogLine("web1", "App", "restarting")), (8, new LogLine("db1", "Database", "done"))]);
        log.FilterInto(new LogFilter(Host: "web1"), indexes, examined);
        Assert.Equal([3, 6, 7], log.Pick(indexes, 0, 10).Select(r => r.Seq));
        var errors = new List<int>();
        log.FilterInto(new LogFilter(MinLevel: Batou.Web.Live.LogLevel.Error), errors, 0);
        Assert.Equal([5], log.Pick(errors, 0, 10).Select(r => r.Seq));
        var search = new List<int>();
        log.FilterInto(new LogFilter(Search: "ROLE"), search, 0);
        Assert.Equal([4, 5], log.Pick(search, 0, 10).Select(r => r.Seq));
    }

    [Fact]
    public void A_replayed_event_is_not_added_twice_and_state_events_are_kept_apart()
    {
        var log = Sample();
        log.Append([(5, new LogLine("web1", null, "replayed")), (6, new LogLine("web1", null, "replayed")), (7, new RootFinished("web1", "app", true, TimeSpan.FromSeconds(1)))]);
        Assert.Equal(7, log.Count);
        Assert.DoesNotContain(log.Slice(0, 100), r => r.Text.Contains("replayed", StringComparison.Ordinal));
        var states = log.StatesFrom(0);
        Assert.Equal([typeof(ModelConfigured), typeof(ComponentNeedsUpdate), typeof(RootFinished)], states.Select(s => s.GetType()));
        Assert.Single(log.StatesFrom(2));
        Assert.Equal(["db1", "web1"], log.Origins().Hosts);
        Assert.Equal(["app", "database"], log.Origins().Components);
    }

    [Fact]
    public void The_activity_feed_reaches_every_subscriber_until_it_leaves_and_survives_a_failing_one()
    {
        var feed = new ActivityFeed(NullLogger<ActivityFeed>.Instance);
        var seen = new List<string>();
        using var failing = feed.Subscribe(_ => throw new InvalidOperationException("a broken page"));
        var first = feed.Subscribe(c => seen.Add("first " + c.Id + " " + c.Status));
        using var second = feed.Subscribe(c => seen.Add("second " + c.Id + " " + c.Status));
        feed.Publish(4, "running");
        first.Dispose();
        feed.Publish(4, "succeeded");
        Assert.Equal(["first 4 running", "second 4 running", "second 4 succeeded"], seen);
    }
}
