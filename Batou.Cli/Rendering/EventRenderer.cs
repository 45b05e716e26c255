using System.Globalization;
using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Cli.Rendering;

/// <summary>Renders the engine's event stream as batou's console output.</summary>
internal sealed class EventRenderer(ConsoleWriter console, bool verbose = false, bool local = false)
{
    private readonly HashSet<(string, string)> _announced = [];
    private readonly Dictionary<string, string> _rootStatus = new(StringComparer.Ordinal);
    private DeploymentMode _mode;

    public bool Succeeded { get; private set; }

    public void Render(DeploymentEvent e)
    {
        switch (e)
        {
            case DeploymentStarted s:
                _mode = s.Mode;
                console.Line($"batou/{s.Version} (.NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription})");
                console.Section("Preparing");
                break;
            case StepStarted { Phase: Phase.Load } s:
                console.Step("main", s.Message, s.Step switch { "load" => "📦", "secrets" => "🔑", _ => "🧩" });
                break;
            case StepStarted { Phase: Phase.Connect } s:
                console.Section(s.Message);
                break;
            case StepStarted { Phase: Phase.Deploy } s:
                console.Section(s.Message);
                break;
            case HostConnecting h:
                console.Step(h.Host, $"Connecting via {h.Method} ({h.Index}/{h.Total})", "🌐");
                break;
            case HostIgnored h:
                console.Line($"⏭️ {h.Host}: Connection ignored ({h.Index}/{h.Total})", "red", bold: true);
                break;
            case ConfigureLog l:
                console.Line(l.Text);
                break;
            case WarningRaised w:
                RenderWarning(w.Warning);
                break;
            case ConfigurationFailed f:
                foreach (var error in f.Errors) RenderError(error);
                console.Section($"{f.Errors.Count} ERROR{(f.Errors.Count == 1 ? "" : "S")} - CONFIGURATION FAILED", "red");
                break;
            case ModelConfigured m:
                foreach (var root in m.Roots) _rootStatus[$"{root.Host}: {root.Component}"] = root.Ignored ? "skipped" : "not started";
                break;
            case RootScheduled r:
                _rootStatus[$"{r.Host}: {r.Component}"] = "running";
                console.Step(r.Host, $"Scheduling component {r.Component} ...", "⚪");
                break;
            case RootSkipped r:
                _rootStatus[$"{r.Host}: {r.Component}"] = r.Reason.StartsWith("Not started", StringComparison.Ordinal) ? "not started" : "skipped";
                if (r.Reason == DeploymentRequest.NotSelected) console.Line($"⏭️ {r.Host}: Skipping component {r.Component} ... ({r.Reason})");   // --only: on purpose
                else console.Line($"⏭️ {r.Host}: Skipping component {r.Component} ... ({r.Reason})", "red", bold: true);
                break;
            case RootFinished r:
                _rootStatus[$"{r.Host}: {r.Component}"] = r.Changed ? "changed" : "unchanged";
                break;
            case RootFailed r:
                _rootStatus[$"{r.Host}: {r.Component}"] = "FAILED";
                break;
            case ComponentNeedsUpdate c:
                Announce(c.Host, c.Breadcrumbs, c.Reason);
                break;
            case FileDiff d:
                RenderDiff(d);
                break;
            case LogLine l:
                if (l.Breadcrumbs is { } crumbs) Announce(l.Host, crumbs, null);
                console.Line($"{l.Host}: {l.Text}");
                break;
            case CommandOutput o when verbose:
                Announce(o.Host, o.Breadcrumbs, null);
                console.Line($"{o.Host}: {(o.Stream == "stderr" ? "! " : "| ")}{o.Text}");
                break;
            case EventTriggered t:
                console.Line($"Trigger {t.EventName}: {t.Handler}");
                break;
            case SlowComponent s:
                var t2 = s.Timings;
                console.Step(s.Host, $"{s.Breadcrumbs} [total={Durations.Format(t2.Total)}, verify={Durations.Format(t2.Verify)}, update={Durations.Format(t2.Update)}, sub={Durations.Format(t2.SubComponents)}]", "💤");
                break;
            case ErrorRaised r:
                RenderError(r.Error);
                break;
            case CancelRequested { Grace.Ticks: > 0 } c:
                console.Line($"⏹ Cancelling: no further component starts; running commands are stopped in {Durations.Format(c.Grace)} (cancel_grace). Press Ctrl-C again to stop now.", "yellow", bold: true);
                break;
            case CancelRequested:
                console.Line("⏹ Stopping now: running commands are killed.", "yellow", bold: true);
                break;
            case DeploymentFinished f:
                RenderFinish(f);
                break;
        }
    }

    private void Announce(string host, string breadcrumbs, string? reason)
    {
        if (!_announced.Add((host, breadcrumbs))) return;
        var suffix = reason is null ? "" : $"  ({reason})";
        console.Line($"🚀 {host}: {breadcrumbs}{suffix}", bold: true);
    }

    private void RenderDiff(FileDiff d)
    {
        Announce(d.Host, d.Breadcrumbs, null);
        var name = Path.GetFileName(d.Path);
        if (d.Notice is not null) console.Line($"  {name} {d.Notice}");
        foreach (var line in d.Lines)
        {
            if (line.Trim().Length == 0) continue;
            var colour = line.StartsWith('+') ? "green" : line.StartsWith('-') ? "red" : null;
            console.Line($"  {name} {line}", colour);
        }
        if (d.FullDiffPath is not null) console.Line($"  {name} see {d.FullDiffPath} for the full diff.");
    }

    private void RenderError(BatouError error)
    {
        console.Line();
        console.Error(error.Message);
        foreach (var detail in error.Details) console.Tabular(detail.Label, detail.Value);
        if (error.Host is not null && error.Details.All(d => d.Label != "Host")) console.Tabular("Affected hosts", error.Host);
        if (error.Body is not null)
            foreach (var line in error.Body.Split('\n')) console.Line(line);
    }

    private void RenderWarning(BatouError warning)
    {
        console.Warn(warning.Message);
        foreach (var detail in warning.Details) console.Tabular(detail.Label, detail.Value);
    }

    private void RenderFinish(DeploymentFinished f)
    {
        Succeeded = f.Success;
        var what = f.Mode switch
        {
            DeploymentMode.Predict => "DEPLOYMENT PREDICTION",
            DeploymentMode.ConsistencyOnly => "CONSISTENCY CHECK",
            _ => "DEPLOYMENT",
        } + (local ? " (local)" : "");
        if (f.Success || f.FailedDuring == Phase.Deploy)
        {
            console.Section("Summary");
            var label = f.Mode == DeploymentMode.ConsistencyOnly ? "Consistency check" : "Deployment";
            console.Line(string.Create(CultureInfo.InvariantCulture,
                $"{label} took total={Durations.Format(f.Total)}, connect={Durations.Format(f.Connect)}, deploy={Durations.Format(f.Deploy)}"));
            if (!f.Success)
                foreach (var (root, status) in _rootStatus)
                    console.Line($"  {status,-12} {root}", status == "FAILED" ? "red" : null);
        }
        if (f.Success)
            console.Section($"{what} FINISHED", f.Mode switch { DeploymentMode.Predict => "purple", DeploymentMode.ConsistencyOnly => "cyan", _ => "green" });
        else
            console.Section($"{what} FAILED (during {f.FailedDuring?.ToString().ToLowerInvariant() ?? "load"})", "red");
    }
}
