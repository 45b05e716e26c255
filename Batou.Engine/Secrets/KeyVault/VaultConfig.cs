using System.Text.RegularExpressions;
using Batou.Engine.Api;
using Batou.Engine.Configuration;

namespace Batou.Engine.Secrets.KeyVault;

/// <summary>What a vault secret becomes: a component setting, host data, or a secret file.</summary>
internal enum VaultTarget { Component, Host, File }

/// <summary>One mapping line: <c>[vault:app] db_password = app-db-password</c>.</summary>
internal sealed record VaultEntry(VaultTarget Target, string Owner, string Key, string SecretName, int Line);

/// <summary>
/// An environment's Azure Key Vault: <c>[vault] url = https://….vault.azure.net/</c>, and the
/// sections <c>[vault:COMPONENT]</c>, <c>[vault:host:HOST]</c>, <c>[vault:files]</c> mapping settings,
/// host data and secret files to vault secret names.
/// </summary>
internal sealed partial record VaultConfig(Uri Url, string File, int Line, IReadOnlyList<VaultEntry> Entries)
{
    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();

    /// <summary>Reads the vault sections of environment.cfg (<paramref name="parsed"/> when the loader already parsed it); null when there is no <c>[vault]</c>.</summary>
    public static VaultConfig? Read(string baseDir, string environmentFile, List<BatouError> errors, IniDocument? parsed = null)
    {
        var doc = parsed ?? IniParser.Parse(System.IO.File.ReadAllText(Path.Combine(baseDir, environmentFile)), environmentFile, []);
        var vault = doc.Section("vault");
        var mappings = doc.Sections.Where(s => s.Name.StartsWith("vault:", StringComparison.Ordinal)).ToList();
        if (vault is null)
        {
            foreach (var s in mappings)
                errors.Add(Error("VaultWithoutUrl", $"[{s.Name}] needs a [vault] section with the vault's url", environmentFile, s.Line));
            return null;
        }
        Uri? url = null;
        foreach (var entry in vault.Entries)
        {
            if (entry.Key != "url")
                errors.Add(Error("UnknownSetting", $"Unknown key `{entry.Key}` in [vault]", environmentFile, entry.Line, ("Known keys", "url")));
            else if (!Uri.TryCreate(entry.Value, UriKind.Absolute, out url) || url.Scheme != Uri.UriSchemeHttps)
                errors.Add(Error("InvalidSetting", "The vault url must be an https:// URL", environmentFile, entry.Line, ("Value", entry.Value)));
        }
        if (vault.Find("url") is null)
            errors.Add(Error("VaultWithoutUrl", "[vault] needs `url = https://NAME.vault.azure.net/`", environmentFile, vault.Line));
        var entries = new List<VaultEntry>();
        foreach (var section in mappings)
        {
            var owner = section.Name["vault:".Length..].Trim();
            var (target, name) = owner == "files" ? (VaultTarget.File, "")
                : owner.StartsWith("host:", StringComparison.Ordinal) ? (VaultTarget.Host, owner[5..].Trim())
                : (VaultTarget.Component, owner);
            foreach (var entry in section.Entries)
            {
                if (!SecretName().IsMatch(entry.Value))
                    errors.Add(Error("InvalidSetting", "Not a valid Key Vault secret name", environmentFile, entry.Line,
                        ("Value", entry.Value), ("Allowed", "1-127 letters, digits and '-'")));
                else
                    entries.Add(new VaultEntry(target, name, entry.Key, entry.Value, entry.Line));
            }
        }
        return url is null ? null : new VaultConfig(url, environmentFile, vault.Line, entries);
    }

    /// <summary>The vault name used for a managed secret that has no mapping line.</summary>
    public static string DefaultName(string component, string key) =>
        $"{component}-{key}".Replace('_', '-').Replace('.', '-').ToLowerInvariant();

    private static BatouError Error(string kind, string message, string file, int line, params (string, string)[] details) =>
        BatouError.Create(kind, message, [("File", $"{file}:{line}"), .. details]) with { File = file, Line = line };
}
