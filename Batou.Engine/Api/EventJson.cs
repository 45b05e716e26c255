using System.Text.Json;
using System.Text.Json.Serialization;

namespace Batou.Engine.Api;

/// <summary>
/// Events as JSON (one object per event, <c>"$type"</c> names the kind): what the remote agent
/// sends over ssh and what the dashboard stores.
/// </summary>
public static class EventJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
    };

    public static string Serialize(DeploymentEvent e) => JsonSerializer.Serialize(e, Options);

    public static DeploymentEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<DeploymentEvent>(json, Options) ?? throw new JsonException("empty event");
}
