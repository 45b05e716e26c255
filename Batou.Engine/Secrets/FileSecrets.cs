using Batou.Engine.Planning;

namespace Batou.Engine.Secrets;

/// <summary>Reads an environment's encrypted secrets file and secret files into a <see cref="SecretSet"/>.</summary>
internal static class FileSecrets
{
    /// <summary>Decrypts and adds everything; returns the main file's cleartext (for managed secrets).</summary>
    public static string Load(SecretStore store, SecretSet set)
    {
        var cleartext = store.ReadMain();
        Add(SecretsText.Parse(cleartext, store.MainDisplay), store.MainDisplay, set);
        foreach (var (name, path) in store.SecretFiles())
            set.SetFile(name, store.DecryptPath(path));
        return cleartext;
    }

    public static void Add(Configuration.IniDocument doc, string display, SecretSet set)
    {
        foreach (var section in doc.Sections)
        {
            if (section.Name == "batou") continue;
            if (section.Name.StartsWith("host:", StringComparison.Ordinal))
            {
                var host = section.Name[5..].Trim();
                foreach (var entry in section.Entries)
                    set.SetHost(host, entry.Key, new SecretHostValue(entry.Value, display, entry.Line), section.Line);
                continue;
            }
            var component = section.Name.StartsWith("component:", StringComparison.Ordinal) ? section.Name[10..].Trim() : section.Name;
            foreach (var entry in section.Entries)
                set.SetComponent(component, entry.Key, new OverrideValue(entry.Value, display, entry.Line, true), section.Line);
        }
    }
}
