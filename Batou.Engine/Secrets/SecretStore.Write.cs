using Batou.Engine.Configuration;

namespace Batou.Engine.Secrets;

internal sealed partial class SecretStore
{
    /// <summary>
    /// Encrypts a new cleartext of the main file to its members. Secret files are re-encrypted when
    /// the recipients changed (or <paramref name="force"/>); a different <c>secret_provider</c>
    /// converts the environment. Returns the files that changed (relative paths), for the user to commit.
    /// </summary>
    public IReadOnlyList<string> WriteMain(string cleartext, bool force = false)
    {
        var doc = SecretsText.Parse(cleartext, MainDisplay);
        var providerName = SecretsText.Provider(doc);
        var target = providerName is null ? Provider : ParseProvider(providerName)
            ?? throw SecretsErrors.Fail("UnknownSecretProvider", "Unknown secret_provider in [batou]", MainDisplay,
                ("Value", providerName), ("Expected", "age, age-diffable or gpg"));
        var (recipients, ageKeys) = Resolve(target, SecretsText.Members(doc));
        var keysChanged = KeysChanged(ageKeys);
        var converting = Exists && target != Provider;
        var reencryptFiles = keysChanged || force || converting;
        var oldFiles = SecretFiles();
        var files = reencryptFiles ? oldFiles.ToDictionary(f => f.Key, f => DecryptPath(f.Value)) : [];
        var oldMain = Exists ? MainPath : null;

        var newMain = Path.Combine(Dir, MainName(target));
        var changed = new List<string>();
        Encrypt(target, cleartext, doc, recipients, newMain, force || keysChanged || converting);
        changed.Add(Display(newMain));
        Provider = target;
        Exists = true;
        foreach (var (name, text) in files)
        {
            var path = PathOfFile(name);
            EncryptWhole(target, text, recipients, path);
            changed.Add(Display(path));
        }
        if (converting)
        {
            if (oldMain is not null && oldMain != newMain) { File.Delete(oldMain); changed.Add(Display(oldMain)); }
            var newPaths = files.Keys.Select(PathOfFile).ToHashSet();
            foreach (var old in oldFiles.Values.Where(p => !newPaths.Contains(p)))
            {
                File.Delete(old);
                changed.Add(Display(old));
            }
        }
        if (ageKeys is not null && keysChanged)
        {
            File.WriteAllText(AgeKeysPath, ageKeys);
            changed.Add(Display(AgeKeysPath));
        }
        else if (ageKeys is null && File.Exists(AgeKeysPath))
        {
            File.Delete(AgeKeysPath);
            changed.Add(Display(AgeKeysPath));
        }
        return changed;
    }

    /// <summary>Encrypts one <c>secret-&lt;name&gt;</c> file to the members of the main file.</summary>
    public string WriteFile(string name, string content)
    {
        if (!Exists)
            throw SecretsErrors.Fail("NoSecretsFile", $"Environment `{Environment}` has no secrets file yet", Display(Dir),
                ("Hint", $"create it first with `batou secrets edit {Environment}` and list the members"));
        var doc = SecretsText.Parse(ReadMain(), MainDisplay);
        var (recipients, _) = Resolve(Provider, SecretsText.Members(doc));
        var path = PathOfFile(name);
        EncryptWhole(Provider, content, recipients, path);
        return Display(path);
    }

    /// <summary>
    /// "Encrypt anyway" after a syntax error: the text as it is, to the recipients of the current
    /// file (whole-file providers only; deployments will report the syntax error).
    /// </summary>
    public IReadOnlyList<string> WriteMainUnchecked(string cleartext)
    {
        var doc = SecretsText.Parse(ReadMain(), MainDisplay);
        var (recipients, _) = Resolve(Provider, SecretsText.Members(doc));
        EncryptWhole(Provider, cleartext, recipients, MainPath);
        return [MainDisplay];
    }

    /// <summary>Re-encrypts everything when the recipients changed since the last write (or always with <paramref name="force"/>).</summary>
    public IReadOnlyList<string> Reencrypt(bool force)
    {
        if (!Exists) return [];
        var cleartext = ReadMain();
        var doc = SecretsText.Parse(cleartext, MainDisplay);
        var (_, ageKeys) = Resolve(Provider, SecretsText.Members(doc));
        return force || KeysChanged(ageKeys) ? WriteMain(cleartext, force: true) : [];
    }

    /// <summary>Members as recipients; for age also the text of <c>age_keys.txt</c>.</summary>
    private (IReadOnlyList<string> Recipients, string? AgeKeys) Resolve(SecretProviderKind kind, IReadOnlyList<string> members)
    {
        if (kind == SecretProviderKind.Gpg)
            return members.Count == 0 ? throw Recipients.NoMembers(MainDisplay) : (members, null);
        var resolved = Recipients.ResolveAge(members, MainDisplay);
        return (resolved.Select(r => r.Key).ToList(), Recipients.AgeKeysFile(resolved));
    }

    /// <summary>gpg has no recipients file: its recipients always count as changed.</summary>
    private bool KeysChanged(string? ageKeys) =>
        ageKeys is null || !File.Exists(AgeKeysPath) || File.ReadAllText(AgeKeysPath) != ageKeys;

    private void Encrypt(SecretProviderKind kind, string cleartext, IniDocument doc, IReadOnlyList<string> recipients, string path, bool reencryptAll)
    {
        if (kind == SecretProviderKind.AgeDiffable) DiffableFormat.Encrypt(doc, recipients, path, Display(path), reencryptAll);
        else EncryptWhole(kind, cleartext, recipients, path);
    }

    private void EncryptWhole(SecretProviderKind kind, string cleartext, IReadOnlyList<string> recipients, string path)
    {
        if (kind == SecretProviderKind.Gpg) GpgCipher.EncryptFile(cleartext, recipients, path, Display(path));
        else AgeCipher.EncryptFile(cleartext, recipients, path, Display(path));
    }
}
