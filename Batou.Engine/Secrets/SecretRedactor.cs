using System.Text.Json;
using Batou.Engine.Api;

namespace Batou.Engine.Secrets;

/// <summary>
/// Defence in depth for the event stream: any event that would carry a secret value (a component
/// logging it, an exception message, a command's output) has it replaced by <c>********</c>.
/// </summary>
internal static class SecretRedactor
{
    public const string Mask = "********";

    public static Action<DeploymentEvent> Wrap(Action<DeploymentEvent> emit, IReadOnlyCollection<string> needles)
    {
        if (needles.Count == 0) return emit;
        // the needles as they appear inside JSON strings, longest first so a value wins over its lines
        var escaped = needles.Select(n => JsonSerializer.Serialize(n, EventJson.Options)[1..^1])
            .Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).ToArray();
        return e =>
        {
            var json = EventJson.Serialize(e);
            if (!escaped.Any(n => json.Contains(n, StringComparison.Ordinal)))
            {
                emit(e);
                return;
            }
            foreach (var needle in escaped) json = json.Replace(needle, Mask, StringComparison.Ordinal);
            emit(EventJson.Deserialize(json) with { At = e.At });
        };
    }
}
