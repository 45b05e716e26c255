using Batou.Engine.Api;
using Batou.Web.Deployments;

namespace Batou.Web.Live;

public enum LogLevel { Detail, Info, Warning, Error }

/// <summary>One line of a deployment's log as the page shows it, with what it can be filtered by.</summary>
/// <remarks><see cref="Output"/> marks a line a command printed: hidden until the reader asks for command output.</remarks>
public sealed record LogRow(int Seq, DateTimeOffset At, string Css, string Text, string? Host, string? Component, LogLevel Level, bool Output = false)
{
    public static LogRow? From(int seq, DeploymentEvent e)
    {
        if (LogFormatter.Line(e) is not { } line) return null;
        var (host, component) = Origin(e);
        var level = line.Css switch
        {
            "log-error" => LogLevel.Error,
            "log-warn" => LogLevel.Warning,
            "log-muted" or "log-diff" => LogLevel.Detail,
            _ => LogLevel.Info,
        };
        return new LogRow(seq, e.At, line.Css, line.Text, host, component, level, e is CommandOutput);
    }

    /// <summary>The host and root component an event belongs to, when it belongs to one.</summary>
    private static (string? Host, string? Component) Origin(DeploymentEvent e) => e switch
    {
        RootScheduled r => (r.Host, r.Component),
        RootSkipped r => (r.Host, r.Component),
        RootFinished r => (r.Host, r.Component),
        RootFailed r => (r.Host, r.Component),
        ComponentNeedsUpdate c => (c.Host, RootTracker.RootOf(c.Breadcrumbs)),
        ComponentUpdated c => (c.Host, RootTracker.RootOf(c.Breadcrumbs)),
        SlowComponent s => (s.Host, RootTracker.RootOf(s.Breadcrumbs)),
        FileDiff f => (f.Host, RootTracker.RootOf(f.Breadcrumbs)),
        LogLine l => (l.Host, l.Breadcrumbs is null ? null : RootTracker.RootOf(l.Breadcrumbs)),
        CommandOutput o => (o.Host, RootTracker.RootOf(o.Breadcrumbs)),
        EventTriggered t => (t.Host, null),
        HostConnecting h => (h.Host, null),
        HostIgnored h => (h.Host, null),
        HostKeyUnknown k => (k.Host, null),
        HostKeyChanged k => (k.Host, null),
        ConfigureLog c => (null, c.Root),
        _ => (null, null),
    };
}
