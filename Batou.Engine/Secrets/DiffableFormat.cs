using Batou.Engine.Configuration;

namespace Batou.Engine.Secrets;

/// <summary>
/// <c>secrets.cfg.age-diffable</c>: an INI file whose <c>[batou]</c> section is in clear and whose
/// every other value is age-encrypted on its own (base64, wrapped). Unchanged values keep their
/// ciphertext, so a VCS diff shows exactly which keys changed.
/// </summary>
internal static class DiffableFormat
{
    private const int Width = 64;

    /// <summary>Decrypts every value and returns the cleartext INI.</summary>
    public static string Decrypt(string path, string display)
    {
        var doc = Load(path, display);
        return IniWriter.Write(doc.Sections.Select(s => (s.Name, s.Entries.Select(e =>
            (e.Key, s.Name == "batou" ? e.Value : AgeCipher.DecryptArmored(Compact(e.Value), $"{display} [{s.Name}] {e.Key}"))))));
    }

    /// <summary>
    /// Encrypts <paramref name="cleartext"/> into <paramref name="target"/>. Values that did not change
    /// keep their old ciphertext unless <paramref name="reencryptAll"/>; on failure the old file stays.
    /// </summary>
    public static void Encrypt(IniDocument cleartext, IReadOnlyList<string> recipients, string target, string display, bool reencryptAll)
    {
        var old = !reencryptAll && File.Exists(target) ? Load(target, display) : null;
        var sections = new List<(string, IEnumerable<(string, string)>)>();
        foreach (var section in cleartext.Sections)
        {
            var entries = new List<(string, string)>();
            foreach (var entry in section.Entries)
            {
                if (section.Name == "batou") { entries.Add((entry.Key, entry.Value)); continue; }
                var where = $"{display} [{section.Name}] {entry.Key}";
                var previous = old?.Section(section.Name)?.Get(entry.Key);
                var body = previous is not null && AgeCipher.DecryptArmored(Compact(previous), where) == entry.Value
                    ? Compact(previous)
                    : AgeCipher.EncryptArmored(entry.Value, recipients, where);
                entries.Add((entry.Key, Wrap(body)));
            }
            sections.Add((section.Name, entries));
        }
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, IniWriter.Write(sections));
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The members, readable without decrypting anything.</summary>
    public static IniDocument Load(string path, string display) =>
        SecretsText.Parse(File.ReadAllText(path), display);

    private static string Compact(string value) => string.Concat(value.Where(c => !char.IsWhiteSpace(c)));

    private static string Wrap(string body) =>
        string.Join('\n', Enumerable.Range(0, (body.Length + Width - 1) / Width).Select(i => body.Substring(i * Width, Math.Min(Width, body.Length - i * Width))));
}
