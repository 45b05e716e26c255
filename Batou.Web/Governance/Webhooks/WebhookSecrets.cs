using System.Security.Cryptography;
using System.Text;

namespace Batou.Web.Governance.Webhooks;

/// <summary>
/// Webhook signing secrets: made here (shown once), kept in the database only encrypted (AES-GCM with a key derived
/// from the installation's secret salt, so processes sharing the database and the salt can sign), and signatures.
/// </summary>
public sealed class WebhookSecrets(string salt)
{
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(salt), 32, info: "batou webhook secrets"u8.ToArray());

    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string Protect(string secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(secret);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Unprotect(string stored)
    {
        var all = Convert.FromBase64String(stored);
        var plain = new byte[all.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(28), all.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The value of <c>X-Batou-Signature</c>: HMAC-SHA256 of the exact body bytes, as lower-case hex.</summary>
    public static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
