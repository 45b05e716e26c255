namespace Batou.Engine.Secrets;

/// <summary>Encryption with the <c>gpg</c> binary (batch mode); members are key ids, fingerprints or e-mail addresses.</summary>
internal static class GpgCipher
{
    private static string Binary => s_binary ??= Probe();
    private static string? s_binary;

    public static string DecryptFile(string path, string display)
    {
        string[] args = ["--batch", "--quiet", "--yes", "--decrypt", path];
        var result = ToolRunner.Run(Binary, args);
        if (result.ExitCode == 0) return result.Stdout;
        var message = SecretsErrors.ToolMessage(result.Stderr);
        var home = System.Environment.GetEnvironmentVariable("GNUPGHOME") is { Length: > 0 } h ? h : "~/.gnupg";
        if (message.Contains("No secret key", StringComparison.OrdinalIgnoreCase))
            throw SecretsErrors.Fail("NoIdentity", $"None of your gpg keys can decrypt {display}", display,
                ("Tried", $"the secret keys in {home}"), ("gpg says", message),
                ("Hint", "ask a member to add your key (batou secrets add KEYID) and re-encrypt"));
        throw SecretsErrors.Fail("DecryptionFailed", $"Error while calling GPG: cannot decrypt {display}", display,
            ("command", ToolRunner.Describe(Binary, args)), ("exit code", result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("message", message));
    }

    public static void EncryptFile(string cleartext, IReadOnlyList<string> recipients, string target, string display)
    {
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var args = new List<string> { "--batch", "--yes", "--trust-model", "always", "--encrypt" };
            foreach (var r in recipients) args.AddRange(["-r", r]);
            args.AddRange(["-o", temp]);
            var result = ToolRunner.Run(Binary, args, cleartext);
            if (result.ExitCode != 0)
                throw SecretsErrors.Fail("EncryptionFailed", $"Could not encrypt {display}; the existing file was left unchanged", display,
                    ("gpg says", SecretsErrors.ToolMessage(result.Stderr)), ("Hint", "is every member's public key in your keyring?"));
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string Probe()
    {
        foreach (var candidate in new[] { "gpg", "gpg2" })
        {
            try
            {
                if (Util.ProcessRunner.Run(candidate, ["--version"], null, null, TimeSpan.FromSeconds(30), CancellationToken.None).ExitCode == 0)
                    return candidate;
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        throw SecretsErrors.Fail("SecretsToolMissing", "Could not find gpg binary. Is GPG installed? I tried looking for: `gpg`, `gpg2`");
    }
}
