using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Loading;

/// <summary>
/// NuGet packages for components, declared in <c>components/packages.txt</c> (one <c>Name Version</c>
/// per line, <c># comments</c>; <c>Name Version components</c> for a package that brings components,
/// see <see cref="ComponentPackages"/>). Restored once per content hash with the .NET SDK into
/// <c>work/.batou/packages/&lt;hash&gt;/</c> (linux-x64 assets, native libraries included): the
/// compiler references them and remote hosts receive them with the components. The restore runs
/// inside the repository's <c>work/</c>, so a <c>nuget.config</c> of the repository applies.
/// </summary>
internal static class PackageRestorer
{
    public const string FileName = "packages.txt";

    public sealed record Restored(string Directory, string Hash, IReadOnlyList<string> Assemblies);

    public static Restored? Restore(string baseDir, List<BatouError> errors)
    {
        var file = Path.Combine(baseDir, "components", FileName);
        if (!File.Exists(file)) return null;
        var relative = Path.Combine("components", FileName);
        var packages = Parse(File.ReadAllLines(file), relative, errors);
        if (errors.Count > 0) return null;
        var description = string.Join("\n", packages.Select(Describe));   // hashed, and kept as the marker's text
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];
        var dir = Path.Combine(baseDir, "work", ".batou", "packages", hash);
        if (!File.Exists(Path.Combine(dir, Marker)) && !Publish(baseDir, dir, packages, description, relative, errors)) return null;
        var assemblies = Directory.GetFiles(dir, "*.dll").Where(f => Path.GetFileName(f) != "batou-packages.dll").Order(StringComparer.Ordinal).ToList();
        return new Restored(dir, hash, assemblies);
    }

    /// <summary>The file in a package directory that says it is complete; it travels inside the directory's rename.</summary>
    private const string Marker = ".restored";

    /// <summary>
    /// Puts a complete restore (<paramref name="staging"/>, marker included) in place at <paramref name="dir"/>. Two
    /// processes restoring the same packages at once (the dashboard's engines, two CLI runs on one checkout) both get
    /// here: the first one's directory stays — the other may already compile against it — and the later copy is
    /// dropped. A directory without the marker is a leftover of an interrupted older restore and is replaced.
    /// </summary>
    internal static void Install(string staging, string dir)
    {
        var done = Path.Combine(dir, Marker);
        Directory.CreateDirectory(Path.GetDirectoryName(dir)!);
        if (!File.Exists(done))
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            try
            {
                Directory.Move(staging, dir);
                return;
            }
            catch (IOException) when (File.Exists(done))
            {
                // another process moved its restore in between: the same packages (same hash), so theirs is used
            }
        }
        Directory.Delete(staging, recursive: true);
    }

    private static string Describe(Package p) => p.Components ? $"{p.Name} {p.Version} components" : $"{p.Name} {p.Version}";

    private sealed record Package(string Name, string Version, int Line, bool Components);

    private static List<Package> Parse(string[] lines, string file, List<BatouError> errors)
    {
        var packages = new List<Package>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is not (2 or 3) || (parts.Length == 3 && parts[2] != "components") || !parts[0].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') || !parts[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+'))
            {
                errors.Add(BatouError.Create("InvalidPackage", "A package line must be `Name Version`",
                    ("File", $"{file}:{i + 1}"), ("Line", lines[i].Trim()), ("Example", "Microsoft.Data.Sqlite 10.0.14 (or Acme.Components 1.0.0 components)")) with { File = file, Line = i + 1 });
                continue;
            }
            packages.Add(new Package(parts[0], parts[1], i + 1, parts.Length == 3));
        }
        return packages;
    }

    private static bool Publish(string baseDir, string dir, List<Package> packages, string description, string file, List<BatouError> errors)
    {
        // inside the repository (not /tmp): NuGet finds the repository's nuget.config (a team's own feed)
        var project = Path.Combine(baseDir, "work", ".batou", "restore-" + Guid.NewGuid().ToString("N")[..12]);
        var staging = dir + ".tmp-" + Guid.NewGuid().ToString("N")[..6];
        Directory.CreateDirectory(project);
        try
        {
            var references = string.Join("\n", packages.Select(p => $"    <PackageReference Include=\"{p.Name}\" Version=\"{p.Version}\" />"));
            File.WriteAllText(Path.Combine(project, "batou-packages.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net{System.Environment.Version.Major}.0</TargetFramework>
                    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                    <SelfContained>false</SelfContained>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
                    <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>
                    <NoWarn>NU1603;NU1701</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                {references}
                  </ItemGroup>
                </Project>
                """);
            ProcessResult result;
            try
            {
                result = ProcessRunner.Run("dotnet", ["publish", project, "-c", "Release", "-o", staging, "-nologo", "-v:q"], project, null, TimeSpan.FromMinutes(10), CancellationToken.None);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                errors.Add(BatouError.Create("PackageRestoreFailed", "Restoring component packages needs the .NET SDK (`dotnet`) on this machine", ("File", file)) with { File = file });
                return false;
            }
            if (result.ExitCode != 0 && Missing(result.Stdout + "\n" + result.Stderr, packages, file) is { Count: > 0 } missing)
            {
                errors.AddRange(missing);
                return false;
            }
            if (result.ExitCode != 0)
            {
                var problems = (result.Stdout + "\n" + result.Stderr).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(5);
                errors.Add(BatouError.Create("PackageRestoreFailed", "Could not restore the component packages",
                    ("File", file), ("Packages", string.Join(", ", packages.Select(p => $"{p.Name} {p.Version}"))),
                    ("Exit code", result.ExitCode.ToString(CultureInfo.InvariantCulture))) with { File = file, Body = string.Join("\n", problems) });
                return false;
            }
            ComponentPackages.Prepare(staging, packages.Where(p => p.Components)
                .Select(p => new ComponentPackages.Entry(p.Line, p.Name, RuntimeAssemblies(staging, p.Name))).ToList());
            File.WriteAllText(Path.Combine(staging, Marker), description + "\n");
            Install(staging, dir);
            return true;
        }
        finally
        {
            try { Directory.Delete(project, recursive: true); } catch (IOException) { }
            try { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>NuGet's "unable to find package" errors (NU1101, NU1102), each naming its line of packages.txt.</summary>
    private static List<BatouError> Missing(string output, List<Package> packages, string file)
    {
        var errors = new List<BatouError>();
        var lines = output.Split('\n').Where(l => l.Contains("NU1101", StringComparison.Ordinal) || l.Contains("NU1102", StringComparison.Ordinal)).ToList();
        foreach (var package in packages)
        {
            var said = lines.FirstOrDefault(l => l.Contains($"package {package.Name}", StringComparison.OrdinalIgnoreCase)
                                                 || l.Contains($"package '{package.Name}'", StringComparison.OrdinalIgnoreCase));
            if (said is null) continue;
            var message = said.Trim();
            var start = message.IndexOf(": error ", StringComparison.Ordinal);
            if (start >= 0) message = message[(start + 8)..];
            var bracket = message.LastIndexOf(" [", StringComparison.Ordinal);
            if (bracket > 0) message = message[..bracket];
            errors.Add(BatouError.Create("PackageNotFound", $"Package `{package.Name} {package.Version}` was not found",
                    ("File", $"{file}:{package.Line}"), ("NuGet said", message),
                    ("Hint", "check the name and version, and that a nuget.config in the repository lists the feed that has it"))
                with { File = file, Line = package.Line });
        }
        return errors;
    }

    /// <summary>The package's own runtime assemblies (names without .dll), from the publish output's deps.json.</summary>
    private static IReadOnlyList<string> RuntimeAssemblies(string published, string package)
    {
        var deps = Path.Combine(published, "batou-packages.deps.json");
        if (!File.Exists(deps)) return [];
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(deps));
        var names = new List<string>();
        foreach (var target in json.RootElement.GetProperty("targets").EnumerateObject())
            foreach (var library in target.Value.EnumerateObject())
                if (library.Name.StartsWith(package + "/", StringComparison.OrdinalIgnoreCase) && library.Value.TryGetProperty("runtime", out var runtime))
                    names.AddRange(runtime.EnumerateObject().Select(r => Path.GetFileNameWithoutExtension(r.Name)));
        return names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
