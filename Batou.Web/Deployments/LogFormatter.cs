using System.Net;
using Batou.Engine.Api;

namespace Batou.Web.Deployments;

/// <summary>Events as log lines, the way the CLI prints them (text for downloads, HTML for the page).</summary>
public static class LogFormatter
{
    public static (string Css, string Text)? Line(DeploymentEvent e) => e switch
    {
        DeploymentStarted s => ("log-head", $"batou/{s.Version} deploying environment {s.Environment} ({s.Mode.ToString().ToLowerInvariant()}, {s.Jobs} jobs)"),
        StepStarted s => ("log-step", $"▶ {s.Message}"),
        HostConnecting h => ("log-step", $"🔌 {h.Host} [{h.Index}/{h.Total}] via {h.Method}"),
        HostIgnored h => ("log-muted", $"🔌 {h.Host} ignored"),
        HostKeyUnknown k => ("log-warn", $"🔑 {k.Host}: unknown host key {k.KeyType} {k.Fingerprint} at {k.Address}:{k.Port}, waiting for an admin on /admin/host-keys"),
        HostKeyChanged k => ("log-error", $"🔑 {k.Host}: the host key at {k.Address}:{k.Port} changed: offered {k.KeyType} {k.Fingerprint}, {(k.KnownSource.StartsWith("pinned keys", StringComparison.Ordinal) ? "approved" : "known (" + k.KnownSource + ")")} {k.KnownKeyType} {k.KnownFingerprint}; refused (an admin may replace it on /admin/host-keys)"),
        ConfigureLog c => ("", $"{c.Root}: {c.Text}"),
        WarningRaised w => ("log-warn", "WARNING: " + w.Warning),
        ConfigurationFailed c => ("log-error", string.Join("\n", c.Errors.Select(x => x.ToString()))),
        ModelConfigured m => ("log-step", $"▶ {m.Roots.Count} root components configured"),
        RootScheduled r => ("log-muted", $"{r.Host} > {r.Component}"),
        RootSkipped r => ("log-muted", $"{r.Host} > {r.Component} skipped: {r.Reason}"),
        RootFinished r => (r.Changed ? "log-changed" : "log-muted", $"{r.Host} > {r.Component} {(r.Changed ? "changed" : "unchanged")} ({r.Duration.TotalSeconds:0.00} s)"),
        RootFailed r => ("log-error", $"{r.Host} > {r.Component} failed\n{r.Error}"),
        ComponentNeedsUpdate c => ("log-update", $"🚀 {c.Host} > {c.Breadcrumbs}{(c.Reason.Length > 0 ? ": " + c.Reason : "")}"),
        ComponentUpdated c => ("log-muted", $"   {c.Host} > {c.Breadcrumbs} updated in {c.Duration.TotalSeconds:0.00} s"),
        SlowComponent s => ("log-warn", $"🐢 {s.Host} > {s.Breadcrumbs} took {s.Timings.Total.TotalSeconds:0.0} s"),
        FileDiff f => ("log-diff", $"   {f.Host} > {f.Breadcrumbs}: {f.Path} {(f.Notice ?? $"({f.Lines.Count} diff lines)")}"),
        LogLine l => ("", $"{l.Host}{(l.Breadcrumbs is null ? "" : " > " + l.Breadcrumbs)}: {l.Text}"),
        CommandOutput o => (o.Stream == "stderr" ? "log-output log-stderr" : "log-output", $"{o.Host} > {o.Breadcrumbs} | {o.Text}"),
        EventTriggered t => ("log-muted", $"{t.Host}: event {t.EventName} would trigger {t.Handler}"),
        ErrorRaised r => ("log-error", r.Error.ToString()),
        CancelRequested { Grace.Ticks: > 0 } c => ("log-warn", $"⏹ Cancelling: nothing new starts; running commands are stopped in {c.Grace.TotalSeconds:0} s"),
        CancelRequested => ("log-warn", "⏹ Stopping now: running commands are killed"),
        DeploymentFinished f => (f.Success ? "log-ok" : "log-error",
            f.Success ? $"🎉 {(f.Mode == DeploymentMode.Predict ? "Prediction" : "Deployment")} took {f.Total.TotalSeconds:0.00} s"
                      : $"🛑 Failed{(f.FailedDuring is { } p ? " during " + p.ToString().ToLowerInvariant() : "")} with {f.ErrorCount} error(s)"),
        _ => null,
    };

    public static string Html(int seq, DeploymentEvent e) =>
        Line(e) is { } l ? $"<div class=\"log-line {l.Css}\" data-seq=\"{seq}\">{WebUtility.HtmlEncode(l.Text)}</div>" : "";

    public static string Text(DeploymentEvent e) =>
        Line(e) is { } l ? $"{e.At.UtcDateTime:HH:mm:ss.fff} {l.Text}" : "";
}
