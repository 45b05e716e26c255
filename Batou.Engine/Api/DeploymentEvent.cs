using System.Text.Json.Serialization;

namespace Batou.Engine.Api;

/// <summary>
/// Everything a deployment reports, in order. The CLI renders these like batou; the dashboard
/// stores and streams them. Nothing else carries the status of a deployment.
/// </summary>
[JsonDerivedType(typeof(DeploymentStarted), "DeploymentStarted")]
[JsonDerivedType(typeof(StepStarted), "StepStarted")]
[JsonDerivedType(typeof(HostConnecting), "HostConnecting")]
[JsonDerivedType(typeof(HostIgnored), "HostIgnored")]
[JsonDerivedType(typeof(HostKeyUnknown), "HostKeyUnknown")]
[JsonDerivedType(typeof(HostKeyChanged), "HostKeyChanged")]
[JsonDerivedType(typeof(ConfigureLog), "ConfigureLog")]
[JsonDerivedType(typeof(WarningRaised), "WarningRaised")]
[JsonDerivedType(typeof(ConfigurationFailed), "ConfigurationFailed")]
[JsonDerivedType(typeof(ModelConfigured), "ModelConfigured")]
[JsonDerivedType(typeof(RootScheduled), "RootScheduled")]
[JsonDerivedType(typeof(RootSkipped), "RootSkipped")]
[JsonDerivedType(typeof(RootFinished), "RootFinished")]
[JsonDerivedType(typeof(RootFailed), "RootFailed")]
[JsonDerivedType(typeof(ComponentNeedsUpdate), "ComponentNeedsUpdate")]
[JsonDerivedType(typeof(ComponentUpdated), "ComponentUpdated")]
[JsonDerivedType(typeof(SlowComponent), "SlowComponent")]
[JsonDerivedType(typeof(FileDiff), "FileDiff")]
[JsonDerivedType(typeof(LogLine), "LogLine")]
[JsonDerivedType(typeof(CommandOutput), "CommandOutput")]
[JsonDerivedType(typeof(EventTriggered), "EventTriggered")]
[JsonDerivedType(typeof(ErrorRaised), "ErrorRaised")]
[JsonDerivedType(typeof(CancelRequested), "CancelRequested")]
[JsonDerivedType(typeof(DeploymentFinished), "DeploymentFinished")]
public abstract record DeploymentEvent
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

public enum DeploymentMode { Deploy, Predict, ConsistencyOnly }

public enum Phase { Load, Connect, Deploy }

public sealed record DeploymentStarted(string Environment, DeploymentMode Mode, string Version, int Jobs) : DeploymentEvent;

/// <summary>A named step of the preparation (loading, verifying the repository, secrets).</summary>
public sealed record StepStarted(Phase Phase, string Step, string Message) : DeploymentEvent;

public sealed record HostConnecting(string Host, string Method, int Index, int Total) : DeploymentEvent;

public sealed record HostIgnored(string Host, int Index, int Total) : DeploymentEvent;

/// <summary>
/// The builtin ssh client met a host key no known_hosts file or pinned key vouches for, and refused it
/// (the host also fails with a <c>HostKeyUnknown</c> error). <see cref="Address"/> and <see cref="Port"/>
/// are where the key was offered (the jump host's when it was the jump host's key); <see cref="PublicKey"/>
/// is the key in known_hosts form (<c>type base64</c>): public, so a dashboard can store and pin it.
/// </summary>
public sealed record HostKeyUnknown(string Host, string Address, int Port, string KeyType, string Fingerprint, string PublicKey) : DeploymentEvent;

/// <summary>
/// The builtin ssh client was offered another key than the one known for this address, and refused it
/// (always; the host also fails with a <c>HostKeyChanged</c> error). <see cref="KnownSource"/> is the
/// known_hosts file:line (or <c>pinned keys:N</c>) of the known key.
/// </summary>
public sealed record HostKeyChanged(string Host, string Address, int Port, string KeyType, string Fingerprint, string PublicKey,
    string KnownKeyType, string KnownFingerprint, string KnownSource) : DeploymentEvent;

/// <summary>A <c>Log()</c> line written while the model was configured (printed without host).</summary>
public sealed record ConfigureLog(string Root, string Text) : DeploymentEvent;

public sealed record WarningRaised(BatouError Warning) : DeploymentEvent;

public sealed record ConfigurationFailed(IReadOnlyList<BatouError> Errors) : DeploymentEvent;

/// <summary>The model configured; roots in deployment order with their dependencies.</summary>
public sealed record ModelConfigured(IReadOnlyList<RootSummary> Roots) : DeploymentEvent;

public sealed record RootSummary(string Host, string Component, IReadOnlyList<string> DependsOn, bool Ignored, string? IgnoredReason);

public sealed record RootScheduled(string Host, string Component) : DeploymentEvent;

public sealed record RootSkipped(string Host, string Component, string Reason) : DeploymentEvent;

public sealed record RootFinished(string Host, string Component, bool Changed, TimeSpan Duration) : DeploymentEvent;

public sealed record RootFailed(string Host, string Component, BatouError Error) : DeploymentEvent;

/// <summary>Verify found the component out of date; <see cref="Predicting"/> means Update will not run.</summary>
public sealed record ComponentNeedsUpdate(string Host, string Breadcrumbs, string Reason, bool Predicting) : DeploymentEvent;

public sealed record ComponentUpdated(string Host, string Breadcrumbs, TimeSpan Duration) : DeploymentEvent;

/// <summary>A component that took long (verify or update over 1 s, or over 10 s in total).</summary>
public sealed record SlowComponent(string Host, string Breadcrumbs, ComponentTimings Timings) : DeploymentEvent;

public sealed record ComponentTimings(TimeSpan Total, TimeSpan? Verify, TimeSpan? Update, TimeSpan? SubComponents);

/// <summary>
/// A file that differs from what is wanted. <see cref="Lines"/> are unified-diff lines (possibly cut);
/// <see cref="Notice"/> explains when the diff is withheld or shortened, <see cref="FullDiffPath"/>
/// points at the complete diff (mode 0600).
/// </summary>
public sealed record FileDiff(string Host, string Breadcrumbs, string Path, IReadOnlyList<string> Lines, string? Notice, string? FullDiffPath) : DeploymentEvent;

public sealed record LogLine(string Host, string? Breadcrumbs, string Text) : DeploymentEvent;

/// <summary>
/// One line a command printed while a component ran it (<c>Cmd</c>, <c>Command</c>), sent as it is produced so a long
/// migration shows its progress. <see cref="Stream"/> is <c>stdout</c> or <c>stderr</c>. The CLI prints these only with
/// <c>--verbose</c>; the dashboard keeps them under their component, hidden until asked for.
/// </summary>
public sealed record CommandOutput(string Host, string Breadcrumbs, string Stream, string Text) : DeploymentEvent;

/// <summary>A before-update handler that would have run (predict mode only).</summary>
public sealed record EventTriggered(string Host, string EventName, string Handler) : DeploymentEvent;

public sealed record ErrorRaised(BatouError Error) : DeploymentEvent;

/// <summary>
/// The deployment was asked to stop: no further component starts; the running ones may finish within
/// <see cref="Grace"/>, counted from <see cref="DeploymentEvent.At"/>, after which the commands they run are killed.
/// Sent again with a zero grace when somebody asks to stop now (or the grace ran out).
/// </summary>
public sealed record CancelRequested(TimeSpan Grace) : DeploymentEvent
{
    /// <summary>When running commands are (or were) killed.</summary>
    public DateTimeOffset KillAt => At + Grace;
}

public sealed record DeploymentFinished(bool Success, DeploymentMode Mode, Phase? FailedDuring, int ErrorCount, TimeSpan Connect, TimeSpan Deploy) : DeploymentEvent
{
    public TimeSpan Total => Connect + Deploy;
}
