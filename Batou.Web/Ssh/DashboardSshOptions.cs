using Microsoft.Extensions.Options;

namespace Batou.Web.Ssh;

/// <summary>
/// <c>Batou:Ssh</c>: how deployments reach hosts. The key is read into memory once at start and handed to the
/// engine process through its input (never a file the dashboard writes, never a command line, never a log line).
/// </summary>
public sealed class DashboardSshOptions
{
    public const string Section = "Batou:Ssh";

    /// <summary>The private key's text (OpenSSH or PEM), e.g. from an environment variable or a key vault.</summary>
    public string? PrivateKey { get; set; }
    /// <summary>A file holding the private key, read at start when <see cref="PrivateKey"/> is not set.</summary>
    public string? PrivateKeyFile { get; set; }
    /// <summary>The key's passphrase, if it has one.</summary>
    public string? Passphrase { get; set; }
    /// <summary>An Azure Key Vault (https URL) to read the key from at start, instead of <see cref="PrivateKey"/> or <see cref="PrivateKeyFile"/>.</summary>
    public string? KeyVaultUrl { get; set; }
    /// <summary>The vault secret holding the private key's text (with <see cref="KeyVaultUrl"/>).</summary>
    public string? PrivateKeySecret { get; set; }
    /// <summary>The vault secret holding the key's passphrase, if it has one (with <see cref="KeyVaultUrl"/>).</summary>
    public string? PassphraseSecret { get; set; }
    /// <summary>
    /// Trust only host keys approved on /admin/host-keys (no known_hosts file at all). Default true; false also
    /// trusts the known_hosts files the repository names (<c>ssh_known_hosts</c>, its ssh_config's <c>UserKnownHostsFile</c>).
    /// </summary>
    public bool OnlyPinnedHostKeys { get; set; } = true;
    /// <summary>
    /// Warm mode for deployments whose environment does not set <c>ssh_warm</c>: each host's agent stays alive this
    /// long after a run (a duration: <c>5m</c>, <c>90s</c>; <c>0</c> = off). Default 5m. See docs/remote.md, "Warm mode".
    /// </summary>
    public string Warm { get; set; } = "5m";

    /// <summary>Hides the key and passphrase from anything that prints options.</summary>
    public override string ToString() =>
        $"Ssh(key {(PrivateKey is not null ? "given" : KeyVaultUrl is not null ? $"{PrivateKeySecret} in {KeyVaultUrl}" : PrivateKeyFile ?? "none")}, only pinned host keys {OnlyPinnedHostKeys})";
}

internal sealed class ValidateDashboardSshOptions : IValidateOptions<DashboardSshOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardSshOptions options)
    {
        if (options.PrivateKey is { Length: > 0 } && options.PrivateKeyFile is { Length: > 0 })
            return ValidateOptionsResult.Fail("Batou:Ssh: set PrivateKey or PrivateKeyFile, not both.");
        if (options.KeyVaultUrl is { Length: > 0 } vault)
        {
            if (options.PrivateKey is { Length: > 0 } || options.PrivateKeyFile is { Length: > 0 })
                return ValidateOptionsResult.Fail("Batou:Ssh: set one of PrivateKey, PrivateKeyFile or KeyVaultUrl.");
            if (!Uri.TryCreate(vault, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                return ValidateOptionsResult.Fail($"Batou:Ssh:KeyVaultUrl: {vault} is not an https URL (e.g. https://contoso.vault.azure.net/).");
            if (options.PrivateKeySecret is not { Length: > 0 })
                return ValidateOptionsResult.Fail("Batou:Ssh:KeyVaultUrl needs Batou:Ssh:PrivateKeySecret, the name of the secret holding the key.");
            if (options.Passphrase is { Length: > 0 } && options.PassphraseSecret is { Length: > 0 })
                return ValidateOptionsResult.Fail("Batou:Ssh: set Passphrase or PassphraseSecret, not both.");
        }
        else if (options.PrivateKeySecret is { Length: > 0 } || options.PassphraseSecret is { Length: > 0 })
            return ValidateOptionsResult.Fail("Batou:Ssh:PrivateKeySecret and PassphraseSecret need Batou:Ssh:KeyVaultUrl.");
        try { Batou.Engine.Util.Durations.ParseWarm(options.Warm); }
        catch (FormatException e) { return ValidateOptionsResult.Fail($"Batou:Ssh:Warm: {e.Message}."); }
        if (options.PrivateKeyFile is { Length: > 0 } file && !File.Exists(file))
            return ValidateOptionsResult.Fail($"Batou:Ssh:PrivateKeyFile: {file} does not exist.");
        return ValidateOptionsResult.Success;
    }
}
