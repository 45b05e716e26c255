using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Batou.Web.Ssh;

/// <summary>
/// Makes the Key Vault client the dashboard reads its ssh key with. The default authenticates through
/// Azure.Identity's usual chain (environment, workload or managed identity, Azure CLI); tests register
/// one that trusts their https double.
/// </summary>
public delegate SecretClient VaultClientFactory(Uri vault);

internal static class VaultClients
{
    public static SecretClient Default(Uri vault)
    {
        var options = new SecretClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return new SecretClient(vault, new DefaultAzureCredential(), options);
    }
}
