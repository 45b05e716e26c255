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
    string? PackagesDirectory = null) : AgentMessage;

internal sealed record DeployRequest(string Root, bool Predict) : AgentMessage;

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
