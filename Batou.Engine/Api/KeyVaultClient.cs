using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Batou.Engine.Api;

/// <summary>
/// The <see cref="SecretClient"/> batou reads a vault with, for the engine's secrets and for a host
/// process (the dashboard's ssh key): credentials through Azure.Identity's usual chain (environment,
/// workload or managed identity, Azure CLI), two retries, a 30-second network timeout.
/// </summary>
public static class KeyVaultClient
{
    public static SecretClient Create(Uri vault)
    {
        var options = new SecretClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return new SecretClient(vault, new DefaultAzureCredential(), options);
    }
}
