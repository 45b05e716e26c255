using System.Reflection;
using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Loading;
using Batou.Engine.Planning;
using Batou.Engine.Secrets.KeyVault;

namespace Batou.Engine.Secrets;

/// <summary>
/// Generates the managed secrets (<see cref="ManagedSecretAttribute"/>) that have no value yet and
/// stores them: in the Key Vault when the setting is mapped there (or there is no secrets file),
/// else in the environment's secrets file. Predictions and checks generate but never store.
/// </summary>
internal sealed class ManagedSecrets(EnvironmentConfig config, ComponentLibrary library, SecretSet set, bool store)
{
    public List<BatouError> Notices { get; } = [];

    /// <summary>Fills missing managed secrets; returns the (possibly updated) cleartext of the secrets file.</summary>
    public string Fill(SecretStore files, string cleartext, VaultSecrets? vault, IReadOnlyList<VaultEntry> missing, List<BatouError> errors)
    {
        var fileChanges = new List<(string Component, string Key)>();
        foreach (var (component, property, attribute) in Declared())
        {
            var key = SettingBinder.SnakeCase(property.Name);
            if (property.PropertyType != typeof(string))
            {
                errors.Add(BatouError.Create("InvalidManagedSecret", "[ManagedSecret] needs a string setting",
                    ("Component", component), ("Setting", $"{property.Name} ({property.PropertyType.Name})")) with { Component = component });
                continue;
            }
            if (HasValue(component, property.Name)) continue;
            var value = attribute.Generate();
            var mapped = missing.FirstOrDefault(m => m.Target == VaultTarget.Component && m.Owner == component
                                                     && SettingBinder.Normalize(m.Key) == SettingBinder.Normalize(property.Name));
            if (vault is not null && (mapped is not null || !files.Exists))
            {
                var name = mapped?.SecretName ?? VaultConfig.DefaultName(component, key);
                var line = mapped?.Line ?? vault.Config.Line;
                // without a mapping line the secret lives under its default name: generated earlier?
                var existing = mapped is null ? vault.Get(name, line) : null;
                set.SetComponent(component, key, new OverrideValue(existing ?? value, vault.Config.File, line, true), line);
                if (existing is not null) continue;
                if (store) vault.Set(name, value, line);
                Notice(component, key, store ? $"Key Vault {vault.Config.Url} as `{name}`" : null);
            }
            else if (files.Exists)
            {
                cleartext = SecretsText.SetComponentValue(cleartext, component, key, value);
                fileChanges.Add((component, key));
                set.SetComponent(component, key, new OverrideValue(value, files.MainDisplay, 0, true), 0);
            }
            else
            {
                errors.Add(BatouError.Create("NoSecretStore", "A managed secret has no value and nowhere to be stored",
                        ("Component", component), ("Setting", key),
                        ("Hint", $"create the secrets file with `batou secrets edit {config.Name}` (and list the members), or configure [vault]"))
                    with { Component = component });
            }
        }
        if (fileChanges.Count > 0)
        {
            var changed = store ? files.WriteMain(cleartext) : [];
            foreach (var (component, key) in fileChanges)
                Notice(component, key, store ? string.Join(", ", changed) : null);
        }
        return cleartext;
    }

    private IEnumerable<(string Component, PropertyInfo Property, ManagedSecretAttribute Attribute)> Declared()
    {
        var names = config.Hosts.SelectMany(h => h.Components).Select(a => a.Name).Distinct().Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!library.Definitions.TryGetValue(name, out var definition)) continue;
            foreach (var property in SettingBinder.Settings(definition.Type).Values.OrderBy(p => p.Name, StringComparer.Ordinal))
                if (property.GetCustomAttribute<ManagedSecretAttribute>() is { } attribute)
                    yield return (name, property, attribute);
        }
    }

    private bool HasValue(string component, string property)
    {
        var normalized = SettingBinder.Normalize(property);
        return (config.Overrides.TryGetValue(component, out var env) && env.Keys.Any(k => SettingBinder.Normalize(k) == normalized))
               || (set.Components.TryGetValue(component, out var secrets) && secrets.Keys.Any(k => SettingBinder.Normalize(k) == normalized));
    }

    private void Notice(string component, string key, string? storedIn) =>
        Notices.Add(storedIn is null
            ? BatouError.Create("ManagedSecretPending", $"Managed secret `{key}` of component {component} has no value yet",
                ("Component", component), ("Setting", key), ("Next", "the next deployment generates and stores it; this run uses a throw-away value"))
            : BatouError.Create("ManagedSecretGenerated", $"Generated managed secret `{key}` of component {component}",
                ("Component", component), ("Setting", key), ("Stored in", storedIn),
                ("Next", storedIn.StartsWith("Key Vault", StringComparison.Ordinal) ? "nothing to commit" : "commit the changed file(s)")));
}
