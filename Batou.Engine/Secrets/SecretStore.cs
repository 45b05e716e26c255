using Batou.Engine.Configuration;

namespace Batou.Engine.Secrets;

/// <summary>How an environment's secrets are encrypted, chosen by the name of its <c>secrets.cfg.*</c> file.</summary>
internal enum SecretProviderKind { Age, AgeDiffable, Gpg }

/// <summary>
/// The encrypted secrets of one environment: <c>environments/&lt;env&gt;/secrets.cfg.&lt;ext&gt;</c> and
/// its <c>secret-&lt;name&gt;.&lt;ext&gt;</c> files. Reading decrypts on this machine only; writing never
/// leaves a half-written file (a failed encryption keeps the old bytes).
/// </summary>
internal sealed partial class SecretStore
{
    private SecretStore(string baseDir, string environment, SecretProviderKind provider, bool exists)
    {
        BaseDir = baseDir;
        Environment = environment;
        Provider = provider;
        Exists = exists;
    }

    public string BaseDir { get; }
    public string Environment { get; }
    public SecretProviderKind Provider { get; private set; }
    /// <summary>Whether the main secrets file exists (a new environment defaults to age).</summary>
    public bool Exists { get; private set; }
    public string Dir => Path.Combine(BaseDir, "environments", Environment);
    public string MainPath => Path.Combine(Dir, MainName(Provider));
    public string MainDisplay => Display(MainPath);
    public string FileExtension => Provider == SecretProviderKind.Gpg ? "gpg" : "age";
    public string AgeKeysPath => Path.Combine(Dir, "age_keys.txt");

    public static string MainName(SecretProviderKind kind) => kind switch
    {
        SecretProviderKind.Gpg => "secrets.cfg.gpg",
        SecretProviderKind.AgeDiffable => "secrets.cfg.age-diffable",
        _ => "secrets.cfg.age",
    };

    public static SecretProviderKind? ParseProvider(string? name) => name switch
    {
        "age" => SecretProviderKind.Age,
        "age-diffable" => SecretProviderKind.AgeDiffable,
        "gpg" => SecretProviderKind.Gpg,
        _ => null,
    };

    public static string ProviderName(SecretProviderKind kind) => kind switch
    {
        SecretProviderKind.Gpg => "gpg",
        SecretProviderKind.AgeDiffable => "age-diffable",
        _ => "age",
    };

    private static readonly SecretProviderKind[] s_kinds = [SecretProviderKind.Age, SecretProviderKind.AgeDiffable, SecretProviderKind.Gpg];

    /// <summary>Finds the environment's secrets; two <c>secrets.cfg.*</c> files are an error.</summary>
    public static SecretStore Open(string baseDir, string environment)
    {
        var dir = Path.Combine(baseDir, "environments", environment);
        if (!File.Exists(Path.Combine(dir, "environment.cfg")))
            throw SecretsErrors.Fail("MissingEnvironment", "Missing environment", ("Environment", environment),
                ("Available", string.Join(", ", EnvironmentLoader.Names(baseDir))));
        // a loop, not LINQ or a List over the enum: generic code over a struct is JIT-compiled in every run
        var found = new List<string>();
        var kind = SecretProviderKind.Age;
        foreach (var candidate in s_kinds)
            if (File.Exists(Path.Combine(dir, MainName(candidate))))
            {
                found.Add(MainName(candidate));
                kind = candidate;
            }
        if (found.Count > 1)
        {
            var display = Path.Combine("environments", environment);
            throw SecretsErrors.Fail("MultipleSecretsFiles", "More than one secrets file in environment", display,
                ("Environment", environment), ("Files", string.Join(", ", found)),
                ("Hint", "keep exactly one of secrets.cfg.age, secrets.cfg.age-diffable, secrets.cfg.gpg"));
        }
        return new SecretStore(Path.GetFullPath(baseDir), environment, found.Count == 1 ? kind : SecretProviderKind.Age, found.Count == 1);
    }

    public string Display(string path) => Path.GetRelativePath(BaseDir, path);

    public string PathOfFile(string name) => Path.Combine(Dir, $"secret-{name}.{FileExtension}");

    /// <summary>Secret file names (without <c>secret-</c> and the extension) and their paths.</summary>
    public IReadOnlyDictionary<string, string> SecretFiles()
    {
        var suffix = "." + FileExtension;
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(Dir)) return result;
        foreach (var path in Directory.GetFiles(Dir, "secret-*" + suffix))
        {
            var name = Path.GetFileName(path);
            result[name["secret-".Length..^suffix.Length]] = path;
        }
        return result;
    }

    /// <summary>The cleartext of the main file (empty when it does not exist yet).</summary>
    public string ReadMain() => Exists ? DecryptPath(MainPath) : "";

    public string ReadFile(string name)
    {
        var path = PathOfFile(name);
        return File.Exists(path) ? DecryptPath(path) : "";
    }

    /// <summary>Decrypts any secrets file of this environment by its provider.</summary>
    public string DecryptPath(string path) => Decrypt(path, Display(path));

    /// <summary>Decrypts a file by its extension (also for <c>batou secrets decrypttostdout</c>).</summary>
    public static string Decrypt(string path, string display)
    {
        if (!File.Exists(path)) throw SecretsErrors.Fail("MissingSecretsFile", $"No such file: {display}", display);
        if (path.EndsWith(".age-diffable", StringComparison.Ordinal)) return DiffableFormat.Decrypt(path, display);
        if (path.EndsWith(".gpg", StringComparison.Ordinal)) return GpgCipher.DecryptFile(path, display);
        if (path.EndsWith(".age", StringComparison.Ordinal)) return AgeCipher.DecryptFile(path, display);
        throw SecretsErrors.Fail("UnknownSecretsFile", $"Not a secrets file: {display}", display,
            ("Expected", "a file ending in .age, .age-diffable or .gpg"));
    }
}
