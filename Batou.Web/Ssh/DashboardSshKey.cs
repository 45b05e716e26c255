using System.Text;
using Microsoft.Extensions.Options;

namespace Batou.Web.Ssh;

/// <summary>The targets' private key, read once into memory (from the configuration's text, a file or Azure Key Vault).</summary>
public sealed class DashboardSshKey
{
    public DashboardSshKey(IOptions<DashboardSshOptions> options, VaultClientFactory vaults)
    {
        var o = options.Value;
        var passphrase = o.Passphrase;
        if (o.PrivateKey is { Length: > 0 } text) Key = Encoding.UTF8.GetBytes(text.Replace("\\n", "\n", StringComparison.Ordinal));
        else if (o.PrivateKeyFile is { Length: > 0 } file) Key = File.ReadAllBytes(file);
        else if (o.KeyVaultUrl is { Length: > 0 })
        {
            var (key, secretPassphrase) = VaultSshKey.Read(o, vaults);
            Key = Encoding.UTF8.GetBytes(key);
            passphrase = secretPassphrase ?? passphrase;
        }
        Passphrase = passphrase is { Length: > 0 } p ? p : null;
    }

    public ReadOnlyMemory<byte>? Key { get; }
    public string? Passphrase { get; }

    public override string ToString() => Key is null ? "no key" : "a key in memory";
}
