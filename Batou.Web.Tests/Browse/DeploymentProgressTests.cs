using Batou.Engine.Api;
using Batou.Web.Deployments;
using Batou.Web.Live;
using Batou.Web.Live.Progress;

namespace Batou.Web.Tests.Browse;

/// <summary>The progress the environment, home and history pages show, computed from a deployment's shared log.</summary>
public sealed class DeploymentProgressTests
{
    [Fact]
    public void Roots_done_components_updated_and_lines_follow_the_log_as_it_grows()
    {
        var log = new DeploymentLog(7);
        Assert.Equal("0 log lines", DeploymentProgress.Of(log).Summary);
        log.Append([
            (1, new DeploymentStarted("prod", DeploymentMode.Deploy, "0.1.0", 2)),
            (2, new ModelConfigured([new RootSummary("web1", "app", [], false, null), new RootSummary("db1", "database", [], false, null)])),
            (3, new RootScheduled("web1", "app")),
            (4, new ComponentNeedsUpdate("web1", "App > File('app.conf')", "content differs", false)),
        ]);
        var tracker = new ProgressTracker();   // what a page keeps: it applies only the states that arrived since its last look
        var running = tracker.Advance(log);
        Assert.Equal((0, 2, 0), (running.RootsDone, running.RootsTotal, running.ComponentsUpdated));
        Assert.Equal(RootTracker.Updating, running.Roots[("web1", "app")]);
        Assert.Equal(RootTracker.Waiting, running.Roots[("db1", "database")]);
        Assert.Equal(4, running.LastSeq);

        log.Append([
            (5, new ComponentUpdated("web1", "App > File('app.conf')", TimeSpan.FromSeconds(1))),
            (6, new RootFinished("web1", "app", true, TimeSpan.FromSeconds(2))),
            (7, new LogLine("db1", "Database", "creating the role")),
        ]);
        var later = tracker.Advance(log);
        var fresh = DeploymentProgress.Of(log);
        Assert.Equal((fresh.RootsDone, fresh.ComponentsUpdated, fresh.Lines), (later.RootsDone, later.ComponentsUpdated, later.Lines));
        Assert.Equal((1, 2, 1), (later.RootsDone, later.RootsTotal, later.ComponentsUpdated));
        Assert.Equal(RootTracker.Changed, later.Roots[("web1", "app")]);
        Assert.True(later.Lines > running.Lines);
        Assert.Equal($"1 of 2 roots done · 1 component updated · {later.Lines:N0} log lines", later.Summary);
    }
}
