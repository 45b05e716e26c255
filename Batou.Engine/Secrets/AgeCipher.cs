namespace Batou.Engine.Secrets;

/// <summary>
/// Encryption with the <c>age</c> binary. Identities come from <c>BATOU_AGE_IDENTITIES</c>
/// (comma-separated paths) or the user's default ssh keys; recipients are age or ssh public keys.
/// </summary>
internal static class AgeCipher
{
    private static readonly string[] s_sshKeys = ["id_ed25519", "id_ed25519_sk", "id_ecdsa", "id_ecdsa_sk", "id_rsa", "id_dsa"];

    public const string ArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string ArmorEnd = "-----END AGE ENCRYPTED FILE-----";

    /// <summary>The identity files to try, in order (existing or not).</summary>
    public static IReadOnlyList<string> IdentityCandidates()
    {
        var configured = System.Environment.GetEnvironmentVariable("BATOU_AGE_IDENTITIES");
        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrWhiteSpace(configured))
            return configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, p[2..]) : p).ToList();
        return s_sshKeys.Select(k => Path.Combine(home, ".ssh", k)).ToList();
    }

    /// <summary>Decrypts a whole age file to its cleartext.</summary>
    public static string DecryptFile(string path, string display) => Decrypt([path], null, display);

    /// <summary>Decrypts one armored value (age-diffable).</summary>
    public static string DecryptArmored(string base64Body, string display) =>
        Decrypt([], $"{ArmorBegin}\n{Wrap(base64Body)}\n{ArmorEnd}\n", display);

    private static string Decrypt(IReadOnlyList<string> input, string? stdin, string display)
    {
        var candidates = IdentityCandidates();
        var existing = candidates.Where(File.Exists).ToList();
        var tried = string.Join(", ", candidates.Select(c => File.Exists(c) ? c : c + " (missing)"));
        if (existing.Count == 0)
            throw SecretsErrors.Fail("NoIdentity", $"No age identity available to decrypt {display}", display,
                ("Tried", tried), ("Hint", "set BATOU_AGE_IDENTITIES to your age or ssh private key file(s)"));
        var args = new List<string> { "--decrypt" };
        foreach (var id in existing) args.AddRange(["-i", id]);
        args.AddRange(input);
        var result = ToolRunner.Run("age", args, stdin ?? "");
        if (result.ExitCode == 0) return result.Stdout;
        var message = SecretsErrors.ToolMessage(result.Stderr);
        if (message.Contains("no identity matched", StringComparison.OrdinalIgnoreCase))
            throw SecretsErrors.Fail("NoIdentity", $"None of your identities can decrypt {display}", display,
                ("Tried", tried), ("Hint", "ask a member to add your public key (batou secrets add KEY) or set BATOU_AGE_IDENTITIES"));
        throw SecretsErrors.Fail("DecryptionFailed", $"Cannot decrypt {display}: the file is corrupted, truncated or not age-encrypted", display,
            ("age says", message), ("Command", ToolRunner.Describe("age", args)));
    }

    /// <summary>Encrypts <paramref name="cleartext"/> into <paramref name="target"/>; on failure the old file stays untouched.</summary>
    public static void EncryptFile(string cleartext, IReadOnlyList<string> recipients, string target, string display)
    {
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var args = RecipientArgs(recipients);
            args.AddRange(["-o", temp]);
            var result = ToolRunner.Run("age", args, cleartext);
            if (result.ExitCode != 0)
                throw EncryptError(display, result.Stderr);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Encrypts one value and returns the base64 body of the armored ciphertext (age-diffable).</summary>
    public static string EncryptArmored(string cleartext, IReadOnlyList<string> recipients, string display)
    {
        var args = RecipientArgs(recipients);
        args.Insert(0, "--armor");
        var result = ToolRunner.Run("age", args, cleartext);
        if (result.ExitCode != 0) throw EncryptError(display, result.Stderr);
        return string.Concat(result.Stdout.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
    }

    private static List<string> RecipientArgs(IReadOnlyList<string> recipients)
    {
        var args = new List<string> { "--encrypt" };
        foreach (var r in recipients) args.AddRange(["-r", r]);
        return args;
    }

    private static Api.BatouException EncryptError(string display, string stderr) =>
        SecretsErrors.Fail("EncryptionFailed", $"Could not encrypt {display}; the existing file was left unchanged", display,
            ("age says", SecretsErrors.ToolMessage(stderr)), ("Hint", "check the recipients in [batou] members"));

    private static string Wrap(string base64) =>
        string.Join('\n', Enumerable.Range(0, (base64.Length + 63) / 64).Select(i => base64.Substring(i * 64, Math.Min(64, base64.Length - i * 64))));
}
