using Azure;
using Azure.Identity;

namespace Batou.Web.Ssh;

/// <summary>
/// <c>Batou:Ssh:KeyVaultUrl</c>: the targets' private key (and its passphrase) read from Azure Key Vault
/// once at start, into memory only. A failure stops the start with the vault and the secret's name, never a value.
/// </summary>
internal static class VaultSshKey
{
    public static (string Key, string? Passphrase) Read(DashboardSshOptions options, VaultClientFactory clients)
    {
        var url = new Uri(options.KeyVaultUrl!);
        var client = clients(url);
        var key = Secret(client, url, options.PrivateKeySecret!, "PrivateKeySecret");
        var passphrase = options.PassphraseSecret is { Length: > 0 } name ? Secret(client, url, name, "PassphraseSecret") : null;
        return (key, passphrase);
    }

    private static string Secret(Azure.Security.KeyVault.Secrets.SecretClient client, Uri vault, string name, string setting)
    {
        try
        {
            return client.GetSecret(name).Value.Value is { Length: > 0 } value ? value
                : throw Failed(vault, name, setting, "the secret is empty");
        }
        catch (RequestFailedException e)
        {
            throw Failed(vault, name, setting, e.Status switch
            {
                404 => "no such secret",
                401 or 403 => $"access denied (HTTP {e.Status})",
                0 => "the vault could not be reached",
                _ => $"HTTP {e.Status}",
            });
        }
        catch (AuthenticationFailedException)
        {
            throw Failed(vault, name, setting, "no Azure credential could sign in (see Azure.Identity's DefaultAzureCredential)");
        }
    }

    private static InvalidOperationException Failed(Uri vault, string name, string setting, string reason) =>
        new($"Batou:Ssh:{setting}: could not read the secret '{name}' from the key vault {vault}: {reason}.");
}
