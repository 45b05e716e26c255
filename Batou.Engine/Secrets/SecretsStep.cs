using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Loading;
using Batou.Engine.Secrets.KeyVault;

namespace Batou.Engine.Secrets;

/// <summary>
/// The "Loading secrets" step of a deployment: decrypt the environment's secrets file and secret
/// files (on this machine only), read Key Vault, generate missing managed secrets, and merge it
/// all into the environment.
/// </summary>
internal static class SecretsStep
{
    /// <param name="store">Whether generated managed secrets are stored (a real deployment) or only used for this run.</param>
    public static (EnvironmentConfig Config, SecretSet Secrets) Run(string baseDir, EnvironmentConfig config, ComponentLibrary library, bool store,
        List<BatouError> errors, List<BatouError> warnings)
    {
        var set = new SecretSet();
        Isolation.EngineActivity.Track(set);
        try
        {
            var files = SecretStore.Open(baseDir, config.Name);
            var cleartext = files.Exists ? FileSecrets.Load(files, set) : "";
            var vaultConfig = VaultConfig.Read(baseDir, config.File, errors, config.Document);
            if (errors.Count > 0) return (config, set);
            var vault = vaultConfig is null ? null : new VaultSecrets(vaultConfig);
            var missing = vault?.Load(set, errors) ?? [];
            if (errors.Count > 0) return (config, set);

            var managed = new ManagedSecrets(config, library, set, store);
            managed.Fill(files, cleartext, vault, missing, errors);
            warnings.AddRange(managed.Notices);
            foreach (var entry in missing.Where(m => !Provided(set, m)))
                errors.Add(BatouError.Create("KeyVaultSecretNotFound", $"Secret `{entry.SecretName}` not found in Key Vault",
                        ("Vault", vaultConfig!.Url.ToString()), ("Secret", entry.SecretName), ("File", $"{vaultConfig.File}:{entry.Line}"),
                        ("Hint", "create it (az keyvault secret set) or fix the name"))
                    with { File = vaultConfig.File, Line = entry.Line });
            if (errors.Count > 0) return (config, set);
            return (SecretInjector.Inject(config, set, library, errors), set);
        }
        catch (BatouException e)
        {
            errors.AddRange(e.Errors);
            return (config, set);
        }
    }

    private static bool Provided(SecretSet set, VaultEntry entry) =>
        entry.Target == VaultTarget.Component
        && set.Components.TryGetValue(entry.Owner, out var values)
        && values.Keys.Any(k => Planning.SettingBinder.Normalize(k) == Planning.SettingBinder.Normalize(entry.Key));
}
