using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Batou.Engine.Secrets.KeyVault;

/// <summary>
/// Creates the <see cref="SecretClient"/> for a vault: credentials through Azure.Identity's usual
/// chain (environment, workload/managed identity, Azure CLI, …). Tests replace <see cref="Factory"/>.
/// </summary>
internal static class KeyVaultClients
{
    internal static Func<Uri, SecretClient>? Factory { get; set; }

    public static SecretClient Create(Uri vault)
    {
        if (Factory is { } factory) return factory(vault);
        var options = new SecretClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return new SecretClient(vault, new DefaultAzureCredential(), options);
    }
}
