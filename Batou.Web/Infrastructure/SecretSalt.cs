using System.Security.Cryptography;

namespace Batou.Web.Infrastructure;

/// <summary>
/// The salt of secret digests and configuration fingerprints (approvals are bound to a fingerprint, so it must stay
/// the same across restarts): <c>Batou:SecretSalt</c>, else the file <c>secret-salt</c> in the data folder, created once
/// with 32 random bytes. Processes that share one database must share the salt (set <c>Batou:SecretSalt</c>).
/// </summary>
internal static class SecretSalt
{
    public static string Read(IConfiguration configuration, string dataDirectory)
    {
        if (configuration["Batou:SecretSalt"] is { Length: > 0 } configured) return configured;
        var path = Path.Combine(dataDirectory, "secret-salt");
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(temp, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temp, path);
            }
            catch (IOException)
            {
                File.Delete(temp); // another process created it first: use theirs
            }
        }
        return File.ReadAllText(path).Trim();
    }
}
