using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Loading;
using Batou.Engine.Planning;

namespace Batou.Engine.Secrets;

/// <summary>
/// Merges decrypted secrets into the environment: component sections become overrides (the same
/// setting in environment.cfg is an error), host sections host data. Unknown names are errors.
/// </summary>
internal static class SecretInjector
{
    public static EnvironmentConfig Inject(EnvironmentConfig config, SecretSet set, ComponentLibrary library, List<BatouError> errors)
    {
        // dictionary copies and sorted key lists rather than LINQ over key/value pairs: generic code over a struct,
        // which ReadyToRun cannot precompile, and this runs in every deployment (docs/decisions.md)
        var overrides = new Dictionary<string, IReadOnlyDictionary<string, OverrideValue>>(config.Overrides, StringComparer.Ordinal);
        foreach (var component in Sorted(set.Components.Keys))
        {
            var values = set.Components[component];
            var (file, line) = set.ComponentSections[component];
            if (!library.Definitions.ContainsKey(component))
            {
                errors.Add(BatouError.Create("SuperfluousSecretsSection", "Secrets section for unknown component found",
                        ("Component", component), ("File", $"{file}:{line}"),
                        ("Known", string.Join(", ", library.Definitions.Keys.Order(StringComparer.Ordinal))))
                    with { File = file, Line = line, SortKey = 2 });
                continue;
            }
            var merged = overrides.TryGetValue(component, out var existing)
                ? new Dictionary<string, OverrideValue>(existing, StringComparer.Ordinal)
                : new Dictionary<string, OverrideValue>(StringComparer.Ordinal);
            foreach (var (key, value) in values)
            {
                var twice = merged.FirstOrDefault(m => SettingBinder.Normalize(m.Key) == SettingBinder.Normalize(key));
                if (twice.Value is not null)
                {
                    errors.Add(BatouError.Create("DuplicateOverride", "Attribute override found both in environment and secrets",
                            ("Component", component), ("Attribute", key),
                            ("Environment", $"{twice.Value.File}:{twice.Value.Line}"), ("Secrets", $"{value.File}:{value.Line}"))
                        with { File = value.File, Line = value.Line, Component = component, SortKey = 2 });
                    continue;
                }
                merged[key] = value;
            }
            overrides[component] = merged;
        }

        var hosts = config.Hosts.ToList();
        foreach (var host in Sorted(set.Hosts.Keys))
        {
            var values = set.Hosts[host];
            var index = hosts.FindIndex(h => h.Host.Name == host);
            if (index < 0)
            {
                var (file, line) = set.HostSections[host];
                errors.Add(BatouError.Create("UnknownHostSecretsSection", "Secrets section for unknown host found",
                        ("Host", host), ("File", $"{file}:{line}"), ("Known", string.Join(", ", hosts.Select(h => h.Host.Name))))
                    with { File = file, Line = line, Host = host, SortKey = 2 });
                continue;
            }
            var old = hosts[index].Host;
            var data = old.Data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
            foreach (var (key, value) in values) data[key] = value.Value;
            hosts[index] = hosts[index] with { Host = new Host(old.Name, old.Fqdn, old.Platform, data, old.Ignore, old.ServiceUser, old.RequireSudo) { Ssh = old.Ssh } };
        }
        return config with { Overrides = overrides, Hosts = hosts };
    }

    private static List<string> Sorted(IEnumerable<string> keys)
    {
        var sorted = new List<string>(keys);
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }
}
