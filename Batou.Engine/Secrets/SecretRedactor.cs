using System.Text.Json;
using System.Text.Json.Nodes;
using Batou.Engine.Api;

namespace Batou.Engine.Secrets;

/// <summary>
/// Defence in depth for the event stream: any event that would carry a secret value (a component
/// logging it, an exception message, a command's output) has it replaced by <c>********</c>.
/// Only text the event carries is redacted: property names, the event's kind, its timestamp and
/// numbers are structure, so a secret such as <c>8443</c> never corrupts an event whose time
/// happens to contain those digits.
/// </summary>
internal static class SecretRedactor
{
    public const string Mask = "********";

    public static Action<DeploymentEvent> Wrap(Action<DeploymentEvent> emit, IReadOnlyCollection<string> needles)
    {
        // longest first, so a whole value wins over one of its lines
        var ordered = needles.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).ToArray();
        if (ordered.Length == 0) return emit;
        // the needles as they appear inside JSON strings: a cheap test on the serialised event first
        var escaped = ordered.Select(n => JsonSerializer.Serialize(n, EventJson.Options)[1..^1]).Distinct(StringComparer.Ordinal).ToArray();
        return e =>
        {
            var json = EventJson.Serialize(e);
            if (!escaped.Any(n => json.Contains(n, StringComparison.Ordinal)))
            {
                emit(e);
                return;
            }
            var node = JsonNode.Parse(json)!;
            emit(Redact(node, ordered) ? node.Deserialize<DeploymentEvent>(EventJson.Options)! with { At = e.At } : e);
        };
    }

    /// <summary>Masks the needles in every string value below <paramref name="node"/>; true when one was found.</summary>
    private static bool Redact(JsonNode node, string[] needles)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (child is null || name is "at" or "$type") continue;
                    if (child is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if (MaskIn(text, needles) is { } masked) { o[name] = masked; changed = true; }
                    }
                    else changed |= Redact(child, needles);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if (MaskIn(text, needles) is { } masked) { a[i] = masked; changed = true; }
                    }
                    else if (a[i] is { } child) changed |= Redact(child, needles);
                }
                break;
        }
        return changed;
    }

    private static string? MaskIn(string text, string[] needles)
    {
        var result = text;
        foreach (var needle in needles) result = result.Replace(needle, Mask, StringComparison.Ordinal);
        return ReferenceEquals(result, text) || result == text ? null : result;
    }
}
