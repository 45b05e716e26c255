using System.Security.Cryptography;
using System.Text;

namespace Batou.Lib.Internal;

/// <summary>
/// PostgreSQL's stored form of a password (<c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>,
/// RFC 5802/7677): computed here so the cleartext never reaches the server, its statement log or
/// <c>pg_stat_activity</c>; and checked here against what the server stores.
/// </summary>
internal static class ScramVerifier
{
    private const int Iterations = 4096;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var (stored, server) = Keys(password, salt, Iterations);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(stored)}:{Convert.ToBase64String(server)}";
    }

    /// <summary>Whether <paramref name="verifier"/> (SCRAM or legacy md5) belongs to this password.</summary>
    public static bool Matches(string? verifier, string password, string role)
    {
        if (verifier is null) return false;
        if (verifier.StartsWith("md5", StringComparison.Ordinal) && verifier.Length == 35)
            return verifier[3..] == Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(password + role)));
        var parts = verifier.Split('$');
        if (parts.Length != 3 || parts[0] != "SCRAM-SHA-256") return false;
        var head = parts[1].Split(':');
        var keys = parts[2].Split(':');
        if (head.Length != 2 || keys.Length != 2 || !int.TryParse(head[0], out var iterations)) return false;
        try
        {
            var (stored, server) = Keys(password, Convert.FromBase64String(head[1]), iterations);
            return CryptographicOperations.FixedTimeEquals(stored, Convert.FromBase64String(keys[0]))
                && CryptographicOperations.FixedTimeEquals(server, Convert.FromBase64String(keys[1]));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static (byte[] Stored, byte[] Server) Keys(string password, byte[] salt, int iterations)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var client = HMACSHA256.HashData(salted, "Client Key"u8);
        var server = HMACSHA256.HashData(salted, "Server Key"u8);
        return (SHA256.HashData(client), server);
    }
}
