using Azure.Security.KeyVault.Secrets;
using Batou.Engine.Api;

namespace Batou.Engine.Secrets.KeyVault;

/// <summary>Creates the engine's <see cref="SecretClient"/> for a vault (<see cref="KeyVaultClient"/>); tests replace <see cref="Factory"/>.</summary>
internal static class KeyVaultClients
{
    internal static Func<Uri, SecretClient>? Factory { get; set; }

    public static SecretClient Create(Uri vault) => Factory is { } factory ? factory(vault) : KeyVaultClient.Create(vault);
}
