using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Batou.Engine.Api;

namespace Batou.Engine.Loading;

/// <summary>
/// NuGet packages that bring their own components (<c>Name Version components</c> in
/// <c>components/packages.txt</c>). At restore, each package's assemblies are listed in
/// <see cref="ManifestName"/> and their embedded resources named <c>batou/&lt;path&gt;</c> are
/// extracted to <c>batou-defdirs/&lt;assembly&gt;/</c>: the defdir of the package's components.
/// Both live in the restored package directory, so targets receive them with the packages.
/// </summary>
internal static class ComponentPackages
{
    public const string ManifestName = "batou-component-packages.txt";
    private const string DefdirsName = "batou-defdirs";
    private const string ResourcePrefix = "batou/";
    private static readonly ConcurrentDictionary<Assembly, string> s_defdirs = new();

    public sealed record Entry(int Line, string Name, IReadOnlyList<string> Assemblies);

    /// <summary>The defdir of a component class that came from a component package, else null.</summary>
    public static string? DefdirOf(Type type) =>
        s_defdirs.IsEmpty ? null : s_defdirs.TryGetValue(type.Assembly, out var dir) ? dir : null;

    /// <summary>After a restore: lists each component package's assemblies and extracts their templates.</summary>
    public static void Prepare(string dir, IReadOnlyList<Entry> packages)
    {
        var lines = new List<string>();
        foreach (var package in packages)
        {
            lines.Add($"{package.Line} {package.Name} {string.Join(',', package.Assemblies)}");
            foreach (var assembly in package.Assemblies)
                ExtractTemplates(Path.Combine(dir, assembly + ".dll"), Path.Combine(dir, DefdirsName, assembly));
        }
        File.WriteAllLines(Path.Combine(dir, ManifestName), lines);
    }

    /// <summary>
    /// Loads the component packages listed in <paramref name="packagesDir"/> into <paramref name="context"/>
    /// and adds their root components to <paramref name="definitions"/>; returns all their types.
    /// </summary>
    public static IReadOnlyList<Type> Describe(AssemblyLoadContext context, string? packagesDir, Dictionary<string, ComponentDefinition> definitions, List<BatouError> errors)
    {
        var manifest = packagesDir is null ? null : Path.Combine(packagesDir, ManifestName);
        if (manifest is null || !File.Exists(manifest)) return [];
        var file = Path.Combine("components", PackageRestorer.FileName);
        var all = new List<Type>();
        foreach (var text in File.ReadAllLines(manifest))
        {
            var parts = text.Split(' ', 3);
            if (parts.Length < 2) continue;
            var line = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            var source = $"{file}:{line} ({parts[1]})";
            var components = 0;
            foreach (var name in parts.Length == 3 ? parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries) : [])
            {
                var assembly = context.LoadFromAssemblyName(new AssemblyName(name));
                s_defdirs[assembly] = Path.Combine(packagesDir!, DefdirsName, name);
                var types = assembly.GetTypes();
                all.AddRange(types);
                foreach (var type in types.Where(IsRoot))
                {
                    components++;
                    var key = type.Name.ToLowerInvariant();
                    if (definitions.TryGetValue(key, out var existing))
                    {
                        errors.Add(BatouError.Create("DuplicateComponent", "Two components have the same name",
                                ("Component", key), ("First", existing.SourceFile), ("Second", source))
                            with { File = file, Line = line, SortKey = 2 });
                        continue;
                    }
                    definitions[key] = new ComponentDefinition(key, type, s_defdirs[assembly], source);
                }
            }
            if (components == 0)
                errors.Add(BatouError.Create("PackageWithoutComponents", $"Package `{parts[1]}` is marked `components` but contains no component",
                        ("File", $"{file}:{line}"), ("Expected", "public non-abstract classes deriving from Batou.Component with a parameterless constructor"),
                        ("Hint", "drop `components` from the line if the package is a plain library"))
                    with { File = file, Line = line });
        }
        return all;
    }

    private static bool IsRoot(Type type) =>
        type.IsPublic && !type.IsAbstract && typeof(Component).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null
        && type.GetCustomAttribute<PlatformAttribute>() is null;

    /// <summary>Writes the embedded resources named <c>batou/…</c> of an assembly below <paramref name="target"/>.</summary>
    private static void ExtractTemplates(string assemblyPath, string target)
    {
        if (!File.Exists(assemblyPath)) return;
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        if (!pe.HasMetadata) return;
        var metadata = pe.GetMetadataReader();
        var root = Path.GetFullPath(target);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            var name = metadata.GetString(resource.Name);
            if (!resource.Implementation.IsNil || !name.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            var path = Path.GetFullPath(Path.Combine(root, name[ResourcePrefix.Length..]));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;   // no "../" out of the defdir
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var section = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = section.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            var length = reader.ReadInt32();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, reader.ReadBytes(length));
        }
    }
}
