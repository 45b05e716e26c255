using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// Debian packages that must be installed: <see cref="Packages"/> lists names, optionally pinned
/// (<c>"nginx"</c>, <c>"postgresql-15=15.8-0+deb12u1"</c>). Verify reads <c>dpkg-query</c>
/// (installed = status <c>ii</c>, and the pinned version when given); missing or different
/// packages are installed in one <see cref="InstallCommand"/> call (the command seam).
/// </summary>
public class AptPackages : Component
{
    /// <summary>Package names, <c>name=version</c> to pin a version.</summary>
    public IReadOnlyList<string> Packages { get; set; } = [];

    /// <summary>The install command; the package specs are appended (shell-quoted).</summary>
    public string InstallCommand { get; set; } = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends";

    protected override string? BreadcrumbValue => string.Join(' ', Packages);

    private List<(string Name, string? Version)> _wanted = [];

    protected override void Configure()
    {
        if (Packages.Count == 0) throw new ConfigurationError("AptPackages: Packages is empty.");
        _wanted = Packages.Select(Parse).ToList();
    }

    private static (string Name, string? Version) Parse(string spec)
    {
        var parts = spec.Trim().Split('=', 2);
        var name = parts[0];
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.' or ':'))
            throw new ConfigurationError($"AptPackages: \"{spec}\" is not a Debian package name (lower-case letters, digits, + - . and an optional :arch).");
        return (name, parts.Length == 2 && parts[1].Length > 0 ? parts[1] : null);
    }

    /// <summary>The packages that are missing or at another version, with the reason.</summary>
    private List<(string Spec, string Why)> Differences()
    {
        var result = Programs.Run(this, "dpkg-query", ["-W", "-f=${Package}\t${Version}\t${db:Status-Abbrev}\n", .. _wanted.Select(w => w.Name)], workingDirectory: "/", check: false);
        var installed = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length == 3 && f[2].StartsWith("ii", StringComparison.Ordinal))
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        var differences = new List<(string, string)>();
        foreach (var (name, version) in _wanted)
        {
            var bare = name.Split(':')[0];
            if (!installed.TryGetValue(bare, out var have)) differences.Add((Spec(name, version), $"{name} is not installed"));
            else if (version is not null && have != version) differences.Add((Spec(name, version), $"{name} is {have}, wanted {version}"));
        }
        return differences;
    }

    private static string Spec(string name, string? version) => version is null ? name : $"{name}={version}";

    protected override void Verify()
    {
        var differences = Differences();
        if (differences.Count > 0) throw new UpdateNeeded(string.Join("; ", differences.Select(d => d.Why)));
    }

    protected override void Update()
    {
        var specs = Differences().Select(d => "'" + d.Spec.Replace("'", "'\\''") + "'");
        Cmd(InstallCommand + " " + string.Join(' ', specs), expand: false);
    }
}
