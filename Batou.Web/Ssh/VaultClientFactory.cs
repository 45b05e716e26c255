using Azure.Security.KeyVault.Secrets;

namespace Batou.Web.Ssh;

/// <summary>
/// Makes the Key Vault client the dashboard reads its ssh key with. The default is the engine's
/// <see cref="Batou.Engine.Api.KeyVaultClient.Create"/> (Azure.Identity's usual credential chain); tests
/// register one that trusts their https double.
/// </summary>
public delegate SecretClient VaultClientFactory(Uri vault);
