using System.Text.Json;
using System.Text.Json.Serialization;
using Batou.Engine.Api;

namespace Batou.Engine.Remote;

/// <summary>
/// The JSON-lines protocol between the controller and <c>batou agent</c> on a target, one
/// message per line over the ssh session's stdin/stdout.
/// </summary>
[JsonDerivedType(typeof(SetupRequest), "setup")]
[JsonDerivedType(typeof(DeployRequest), "deploy")]
[JsonDerivedType(typeof(CancelRequest), "cancel")]
[JsonDerivedType(typeof(StopNowRequest), "stop-now")]
[JsonDerivedType(typeof(LockRequest), "lock")]
[JsonDerivedType(typeof(Locked), "locked")]
[JsonDerivedType(typeof(Configured), "configured")]
[JsonDerivedType(typeof(EventMessage), "event")]
[JsonDerivedType(typeof(DeployDone), "done")]
[JsonDerivedType(typeof(AgentFailure), "failure")]
internal abstract record AgentMessage;

/// <summary>Load the environment in <see cref="Repository"/> with the prebuilt components and configure the model.</summary>
internal sealed record SetupRequest(
    string Repository,
    string Environment,
    string Host,
    string ComponentAssembly,
    string? Platform,
    double? TimeoutSeconds,
    string? PackagesDirectory = null,
    SecretPayload? Secrets = null,
    TransferCheck? Record = null) : AgentMessage;

/// <summary>
/// Decrypted secrets for the agent: they travel only inside the ssh session (never on a command
/// line or on the target's disk); the agent injects them exactly as the controller does.
/// </summary>
internal sealed record SecretPayload(
    Dictionary<string, Dictionary<string, Planning.OverrideValue>> Components,
    Dictionary<string, Dictionary<string, Secrets.SecretHostValue>> Hosts,
    Dictionary<string, string> Files,
    List<string> Needles)
{
    /// <summary>The ssh key passphrase is the controller's business: it never travels to the hosts.</summary>
    public const string SshPassphrase = "ssh_passphrase";

    public static SecretPayload? From(Secrets.SecretSet? set)
    {
        if (set is null || (set.IsEmpty && set.Needles.Count == 0)) return null;
        var withheld = set.Hosts.Values.SelectMany(v => v).Where(v => v.Key == SshPassphrase).Select(v => v.Value.Value)
            .Concat(set.Files.Where(f => f.Key == SshPassphrase).Select(f => f.Value)).ToHashSet(StringComparer.Ordinal);
        if (withheld.Count == 0) return new(set.Components, set.Hosts, set.Files, [.. set.Needles]);
        return new(set.Components,
            set.Hosts.ToDictionary(h => h.Key, h => h.Value.Where(v => v.Key != SshPassphrase).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), StringComparer.Ordinal),
            set.Files.Where(f => f.Key != SshPassphrase).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
            [.. set.Needles.Where(n => !withheld.Contains(n) && !withheld.Contains(n + "\n"))]);
    }

    public Secrets.SecretSet ToSet()
    {
        var set = new Secrets.SecretSet();
        foreach (var (component, values) in Components)
            foreach (var (key, value) in values)
                set.SetComponent(component, key, value, value.Line);
        foreach (var (host, values) in Hosts)
            foreach (var (key, value) in values)
                set.SetHost(host, key, value, value.Line);
        foreach (var (name, content) in Files) set.SetFile(name, content);
        foreach (var needle in Needles) set.Needles.Add(needle);
        return set;
    }
}

/// <summary>
/// Lock the target directory for this session (before anything is transferred into it); a
/// second deployment of the same target is refused naming the holder. <see cref="Controller"/> is
/// <c>user@host</c> of the controller, shown to the one refused. <see cref="Check"/> asks, once the
/// lock is held, whether the target still holds exactly what was last transferred
/// (<see cref="Locked.Current"/>); see <see cref="TransferState"/>.
/// </summary>
internal sealed record LockRequest(string TargetDirectory, string Controller, TransferCheck? Check = null) : AgentMessage;

/// <summary>
/// <see cref="Current"/>: the target holds what <see cref="LockRequest.Check"/> describes, unchanged since it was transferred.
/// <see cref="Warm"/>: the session is served by a warm agent (its pid, and how many sessions it served, this one included).
/// </summary>
internal sealed record Locked(BatouError? Error, bool Current = false, WarmSession? Warm = null) : AgentMessage;

/// <summary>A warm agent's process id and the number of this session (1: it was started for this run; more: reused).</summary>
public sealed record WarmSession(int Pid, int Session);

internal sealed record DeployRequest(string Root, bool Predict) : AgentMessage;

/// <summary>Stop the running deployment at the next component boundary (the current component finishes).</summary>
internal sealed record CancelRequest : AgentMessage;

/// <summary>The grace period of a cancel ended (or somebody asked to stop now): kill the commands the running component runs.</summary>
internal sealed record StopNowRequest : AgentMessage;

internal sealed record Configured(IReadOnlyList<BatouError> Errors, IReadOnlyList<BatouError> Warnings) : AgentMessage;

internal sealed record EventMessage(DeploymentEvent Event) : AgentMessage;

internal sealed record DeployDone(bool Ok, bool Changed, BatouError? Error) : AgentMessage;

/// <summary>The agent could not do what was asked (protocol or environment problem).</summary>
internal sealed record AgentFailure(BatouError Error) : AgentMessage;

internal static class AgentJson
{
    private static readonly JsonSerializerOptions s_options = new(EventJson.Options);

    public static string Write(AgentMessage message) => JsonSerializer.Serialize(message, s_options);

    public static AgentMessage Read(string line) =>
        JsonSerializer.Deserialize<AgentMessage>(line, s_options) ?? throw new JsonException("empty message");
}
