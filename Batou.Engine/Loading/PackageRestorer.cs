using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Loading;

/// <summary>
/// NuGet packages for components, declared in <c>components/packages.txt</c> (one <c>Name Version</c>
/// per line, <c># comments</c>). Restored once per content hash with the .NET SDK into
/// <c>work/.batou/packages/&lt;hash&gt;/</c> (linux-x64 assets, native libraries included): the
/// compiler references them and remote hosts receive them with the components.
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
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", packages.Select(p => $"{p.Name} {p.Version}")))))[..16];
        var dir = Path.Combine(baseDir, "work", ".batou", "packages", hash);
        var done = Path.Combine(dir, ".restored");
        if (!File.Exists(done))
        {
            if (!Publish(dir, packages, relative, errors)) return null;
            File.WriteAllText(done, string.Join("\n", packages.Select(p => $"{p.Name} {p.Version}")) + "\n");
        }
        var assemblies = Directory.GetFiles(dir, "*.dll").Where(f => Path.GetFileName(f) != "batou-packages.dll").Order(StringComparer.Ordinal).ToList();
        return new Restored(dir, hash, assemblies);
    }

    private static List<(string Name, string Version, int Line)> Parse(string[] lines, string file, List<BatouError> errors)
    {
        var packages = new List<(string, string, int)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !parts[0].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') || !parts[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+'))
            {
                errors.Add(BatouError.Create("InvalidPackage", "A package line must be `Name Version`",
                    ("File", $"{file}:{i + 1}"), ("Line", lines[i].Trim()), ("Example", "Microsoft.Data.Sqlite 10.0.14")) with { File = file, Line = i + 1 });
                continue;
            }
            packages.Add((parts[0], parts[1], i + 1));
        }
        return packages;
    }

    private static bool Publish(string dir, List<(string Name, string Version, int Line)> packages, string file, List<BatouError> errors)
    {
        var project = Path.Combine(Path.GetTempPath(), "batou-packages-" + Guid.NewGuid().ToString("N")[..12]);
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
                    <NoWarn>NU1603;NU1701</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                {references}
                  </ItemGroup>
                </Project>
                """);
            var staging = dir + ".tmp-" + Guid.NewGuid().ToString("N")[..6];
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
            if (result.ExitCode != 0)
            {
                var problems = (result.Stdout + "\n" + result.Stderr).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(5);
                errors.Add(BatouError.Create("PackageRestoreFailed", "Could not restore the component packages",
                    ("File", file), ("Packages", string.Join(", ", packages.Select(p => $"{p.Name} {p.Version}"))),
                    ("Exit code", result.ExitCode.ToString(CultureInfo.InvariantCulture))) with { File = file, Body = string.Join("\n", problems) });
                return false;
            }
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(dir)!);
            Directory.Move(staging, dir);
            return true;
        }
        finally
        {
            try { Directory.Delete(project, recursive: true); } catch (IOException) { }
        }
    }
}
