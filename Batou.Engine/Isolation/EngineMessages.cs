using System.Text.Json;
using System.Text.Json.Serialization;
using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// The JSON-lines protocol between a caller (the dashboard) and <c>batou engine</c>, a child
/// process that runs repository code on its behalf: one request line on stdin (then only
/// <c>cancel</c> and <c>stop-now</c>), events and one final result line on stdout.
/// </summary>
[JsonDerivedType(typeof(DescribeCall), "describe")]
[JsonDerivedType(typeof(EnvironmentsCall), "environments")]
[JsonDerivedType(typeof(RunCall), "run")]
[JsonDerivedType(typeof(CancelCall), "cancel")]
[JsonDerivedType(typeof(StopNowCall), "stop-now")]
[JsonDerivedType(typeof(EngineHello), "hello")]
[JsonDerivedType(typeof(EngineProgress), "progress")]
[JsonDerivedType(typeof(EngineEvent), "event")]
[JsonDerivedType(typeof(OverviewResult), "overview")]
[JsonDerivedType(typeof(EnvironmentsResult), "environments-result")]
[JsonDerivedType(typeof(RunDone), "done")]
[JsonDerivedType(typeof(EngineCrash), "crash")]
[JsonDerivedType(typeof(EngineFailure), "failure")]
internal abstract record EngineMessage;

/// <summary>What every request carries besides its own fields.</summary>
/// <param name="Variables">Environment variables for the child that must not appear in its environment block at start (e.g. cloud credentials).</param>
/// <param name="LimitSeconds">The child's own watchdog: past this (plus grace) it kills its process group itself, even if the caller is gone.</param>
internal abstract record EngineCall(Dictionary<string, string>? Variables, double? LimitSeconds) : EngineMessage;

internal sealed record DescribeCall(string Repository, string Environment, Dictionary<string, string>? Variables = null, double? LimitSeconds = null, string? SecretSalt = null)
    : EngineCall(Variables, LimitSeconds);

internal sealed record EnvironmentsCall(string Repository, Dictionary<string, string>? Variables = null, double? LimitSeconds = null)
    : EngineCall(Variables, LimitSeconds);

internal sealed record RunCall(DeploymentRequest Request, double CancelGraceSeconds, Dictionary<string, string>? Variables = null, double? LimitSeconds = null)
    : EngineCall(Variables, LimitSeconds);

/// <summary>Stop after the running component, as the in-process cancellation token does (its commands run on for the grace period).</summary>
internal sealed record CancelCall : EngineMessage;

/// <summary>Skip the rest of the grace period: kill the commands still running.</summary>
internal sealed record StopNowCall : EngineMessage;

/// <summary>First line of the child: its process id, which is also its process group (it is a session leader).</summary>
internal sealed record EngineHello(int Pid, string Version) : EngineMessage;

/// <summary>The child is about to run repository code: so a crash can be blamed on the right component.</summary>
internal sealed record EngineProgress(string Step, string? Host, string? Component) : EngineMessage;

internal sealed record EngineEvent(DeploymentEvent Event) : EngineMessage;

internal sealed record OverviewResult(EnvironmentOverview Overview) : EngineMessage;

internal sealed record EnvironmentsResult(IReadOnlyList<string> Names) : EngineMessage;

/// <summary>The last line of a run, after <see cref="DeploymentFinished"/>.</summary>
internal sealed record RunDone : EngineMessage;

/// <summary>An exception nobody caught (a thread a component started): the child dies right after sending this.</summary>
internal sealed record EngineCrash(BatouError Error) : EngineMessage;

/// <summary>The child could not do what was asked (unreadable request).</summary>
internal sealed record EngineFailure(BatouError Error) : EngineMessage;

internal static class EngineJson
{
    private static readonly JsonSerializerOptions s_options = new(EventJson.Options);

    public static string Write(EngineMessage message) => JsonSerializer.Serialize(message, s_options);

    public static EngineMessage Read(string line) =>
        JsonSerializer.Deserialize<EngineMessage>(line, s_options) ?? throw new JsonException("empty message");
}
