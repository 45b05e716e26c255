using Batou.Engine.Planning;

namespace Batou.Engine.Secrets;

/// <summary>A secret value for a host's data, with where it came from.</summary>
internal sealed record SecretHostValue(string Value, string File, int Line);

/// <summary>
/// Everything decrypted for one deployment: component overrides, host data, secret files, and
/// the needles (values and lines) that must never show up in a diff, an event or an error.
/// </summary>
internal sealed class SecretSet
{
    /// <summary>Shorter values would mask (and redact) ordinary words everywhere.</summary>
    private const int MinValueLength = 3;
    private const int MinLineLength = 6;

    public Dictionary<string, Dictionary<string, OverrideValue>> Components { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (string File, int Line)> ComponentSections { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, SecretHostValue>> Hosts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (string File, int Line)> HostSections { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Needles { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Components.Count == 0 && Hosts.Count == 0 && Files.Count == 0;

    /// <summary>Adds a component setting; returns the existing value when the same setting is already set by another source.</summary>
    public OverrideValue? SetComponent(string component, string key, OverrideValue value, int sectionLine)
    {
        if (!Components.TryGetValue(component, out var values))
        {
            Components[component] = values = new Dictionary<string, OverrideValue>(StringComparer.Ordinal);
            ComponentSections[component] = (value.File, sectionLine);
        }
        var existing = values.FirstOrDefault(v => SettingBinder.Normalize(v.Key) == SettingBinder.Normalize(key));
        if (existing.Value is not null) return existing.Value;
        values[key] = value with { Secret = true };
        AddNeedles(value.Value);
        return null;
    }

    public void SetHost(string host, string key, SecretHostValue value, int sectionLine)
    {
        if (!Hosts.TryGetValue(host, out var values))
        {
            Hosts[host] = values = new Dictionary<string, SecretHostValue>(StringComparer.Ordinal);
            HostSections[host] = (value.File, sectionLine);
        }
        values[key.StartsWith("data-", StringComparison.Ordinal) ? key[5..] : key] = value;
        AddNeedles(value.Value);
    }

    public void SetFile(string name, string content)
    {
        Files[name] = content;
        AddNeedles(content);
    }

    /// <summary>The whole value and every long enough line of it.</summary>
    public void AddNeedles(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length >= MinValueLength) Needles.Add(trimmed);
        foreach (var line in value.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= MinLineLength))
            Needles.Add(line);
    }
}
