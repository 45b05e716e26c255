using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Batou.Web.Governance.Tokens;

/// <summary>
/// A personal API token is <c>batou_&lt;id&gt;_&lt;secret&gt;</c>: 16 hex digits that find the row and 256 random bits
/// (base64url). Only the SHA-256 of the secret is stored; comparing takes the same time whatever differs.
/// </summary>
public static class ApiTokenFormat
{
    public const string Prefix = "batou_";
    private const int IdLength = 16, SecretLength = 43;

    public sealed record Parts(string PublicId, string Secret, string Token);

    public static Parts New()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new Parts(id, secret, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The public id when the token starts like one of ours (for the audit trail of a rejected one), else null.</summary>
    public static string? PublicIdOf(string token) =>
        token.Length > Prefix.Length + IdLength && token.StartsWith(Prefix, StringComparison.Ordinal) && token[Prefix.Length + IdLength] == '_'
        && !token.AsSpan(Prefix.Length, IdLength).ContainsAnyExcept("0123456789abcdef")
            ? token.Substring(Prefix.Length, IdLength)
            : null;

    /// <summary>Splits a well-formed token into its id and secret.</summary>
    public static bool TryParse(string token, out string publicId, out string secret)
    {
        publicId = PublicIdOf(token) ?? "";
        secret = publicId.Length == 0 ? "" : token[(Prefix.Length + IdLength + 1)..];
        return publicId.Length > 0 && secret.Length == SecretLength && Base64Url.IsValid(secret);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string secret, string storedHash)
    {
        Span<byte> stored = stackalloc byte[32];
        if (storedHash.Length != 64 || Convert.FromHexString(storedHash, stored, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
            return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), stored);
    }
}
