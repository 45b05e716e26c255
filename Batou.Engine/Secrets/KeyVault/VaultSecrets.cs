using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Batou.Engine.Api;
using Batou.Engine.Planning;

namespace Batou.Engine.Secrets.KeyVault;

/// <summary>
/// Reads and writes secrets in Azure Key Vault. Errors name the vault and the secret, never a value.
/// </summary>
internal sealed class VaultSecrets(VaultConfig config)
{
    private SecretClient? _client;

    public VaultConfig Config { get; } = config;

    private SecretClient Client => _client ??= KeyVaultClients.Create(Config.Url);

    /// <summary>Fetches every mapped secret into <paramref name="set"/>; returns the entries the vault does not have.</summary>
    public IReadOnlyList<VaultEntry> Load(SecretSet set, List<BatouError> errors)
    {
        var missing = new List<VaultEntry>();
        foreach (var entry in Config.Entries)
        {
            var value = Get(entry.SecretName, entry.Line);
            if (value is null) { missing.Add(entry); continue; }
            Add(set, entry, value, errors);
        }
        return missing;
    }

    public void Add(SecretSet set, VaultEntry entry, string value, List<BatouError> errors)
    {
        switch (entry.Target)
        {
            case VaultTarget.File:
                set.SetFile(entry.Key, value);
                break;
            case VaultTarget.Host:
                set.SetHost(entry.Owner, entry.Key, new SecretHostValue(value, Config.File, entry.Line), entry.Line);
                break;
            default:
                if (set.SetComponent(entry.Owner, entry.Key, new OverrideValue(value, Config.File, entry.Line, true), entry.Line) is { } other)
                    errors.Add(BatouError.Create("DuplicateOverride", "Setting found both in the secrets file and in Key Vault",
                            ("Component", entry.Owner), ("Attribute", entry.Key),
                            ("Secrets", $"{other.File}:{other.Line}"), ("Key Vault", $"{Config.File}:{entry.Line}"))
                        with { File = Config.File, Line = entry.Line, Component = entry.Owner });
                break;
        }
    }

    /// <summary>The secret's current value, or null when the vault has no such secret (404).</summary>
    public string? Get(string name, int line)
    {
        try
        {
            return Client.GetSecret(name).Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or InvalidOperationException)
        {
            throw Failure(e, name, "read", line);
        }
    }

    public void Set(string name, string value, int line)
    {
        try
        {
            Client.SetSecret(name, value);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or InvalidOperationException)
        {
            throw Failure(e, name, "store", line);
        }
    }

    private BatouException Failure(Exception e, string name, string verb, int line)
    {
        var (message, problem) = e switch
        {
            RequestFailedException { Status: 401 or 403 } r => ($"Key Vault denied access: cannot {verb} secret `{name}`", $"HTTP {r.Status} {r.ErrorCode}".Trim()),
            RequestFailedException { Status: 0 } r => ($"Cannot reach Key Vault to {verb} secret `{name}`", r.InnerException?.Message ?? "no response"),
            RequestFailedException r => ($"Key Vault refused to {verb} secret `{name}`", $"HTTP {r.Status} {r.ErrorCode}".Trim()),
            AuthenticationFailedException or CredentialUnavailableException => ($"Could not authenticate to Key Vault to {verb} secret `{name}`", FirstLine(e.Message)),
            _ => ($"Cannot {verb} secret `{name}` in Key Vault", FirstLine(e.Message)),
        };
        return new BatouException(BatouError.Create("KeyVaultError", message,
                ("Vault", Config.Url.ToString()), ("Secret", name), ("Problem", problem), ("File", $"{Config.File}:{line}"),
                ("Hint", "credentials come from Azure.Identity (az login, managed identity, AZURE_* variables)"))
            with { File = Config.File, Line = line });
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
