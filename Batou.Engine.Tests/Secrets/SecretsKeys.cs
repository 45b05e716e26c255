using System.Diagnostics;

namespace Batou.Engine.Tests.Secrets;

/// <summary>
/// Private key homes for the whole test run, created with the real tools: an age identity, an
/// ssh ed25519 key and a gpg home with one key. <c>BATOU_AGE_IDENTITIES</c> and <c>GNUPGHOME</c>
/// point at them for in-process tests; <see cref="Outsider"/> is a key nobody encrypts to.
/// </summary>
public static class SecretsKeys
{
    private static readonly Lazy<Keys> s_keys = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Keys Get() => s_keys.Value;

    public sealed record Keys(string Home, string AgeIdentity, string AgePublic, string SshPrivate, string SshPublic,
        string Outsider, string OutsiderPublic, string GnupgHome, string GpgId);

    private static Keys Create()
    {
        var home = Directory.CreateTempSubdirectory("batou-testkeys-").FullName;
        var age = Path.Combine(home, "age.key");
        Run("age-keygen", "-o", age);
        var agePublic = Run("age-keygen", "-y", age).Trim();
        var outsider = Path.Combine(home, "outsider.key");
        Run("age-keygen", "-o", outsider);
        var outsiderPublic = Run("age-keygen", "-y", outsider).Trim();
        var ssh = Path.Combine(home, "id_ed25519");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tester@batou", "-f", ssh);
        var gnupg = Path.Combine(home, "gnupg");
        Directory.CreateDirectory(gnupg);
        File.SetUnixFileMode(gnupg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string> { ["GNUPGHOME"] = gnupg };
        Run(env, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "Batou Test <test@batou.invalid>", "ed25519", "cert,sign", "0");
        var fpr = Run(env, "gpg", "--batch", "--with-colons", "--list-keys", "test@batou.invalid")
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        Run(env, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-add-key", fpr, "cv25519", "encr", "0");
        Environment.SetEnvironmentVariable("BATOU_AGE_IDENTITIES", $"{age},{ssh}");
        Environment.SetEnvironmentVariable("GNUPGHOME", gnupg);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Run(env, "gpgconf", "--kill", "gpg-agent"); Directory.Delete(home, true); }
            catch (Exception) { /* best effort at exit */ }
        };
        return new Keys(home, age, agePublic, ssh, File.ReadAllText(ssh + ".pub").Trim(), outsider, outsiderPublic, gnupg, "test@batou.invalid");
    }

    public static string Run(string program, params string[] args) => Run(null, program, args);

    public static string Run(IReadOnlyDictionary<string, string>? env, string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout.Result;
    }
}
