using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Batou.Engine.Api;
using Batou.Engine.Loading.CompileServer;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Batou.Engine.Loading;

/// <summary>
/// Compiles every <c>components/*/*.cs</c> of a repository into one assembly with Roslyn.
/// Kept apart from <see cref="ComponentLoader"/> so a warm cache never loads Roslyn.
/// </summary>
internal static class ComponentCompiler
{
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Batou;
        global using Batou.Lib;
        """;

    private static IReadOnlyList<MetadataReference>? s_references;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IReadOnlyList<CompileDiagnostic> Compile(CompileRequest request)
    {
        var (baseDir, files, packageAssemblies, assemblyName, dllPath, pdbPath) = request;
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(GlobalUsings, parseOptions, "<global-usings>.cs", Encoding.UTF8) };
        var sources = new List<ComponentSource>();
        foreach (var file in files)
        {
            // Relative paths (components/x/component.cs) in the PDB: the compiled assembly is shared (in memory and
            // in the cache) by every checkout with the same sources, so stack traces must not name one checkout's directory.
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), parseOptions, Path.GetRelativePath(baseDir, file), Encoding.UTF8);
            trees.Add(tree);
            var dir = Path.GetFileName(Path.GetDirectoryName(file)!);
            foreach (var type in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Where(c => c.Parent is not TypeDeclarationSyntax))
                sources.Add(new ComponentSource(MetadataName(type), dir, Path.GetRelativePath(baseDir, file)));
        }

        var references = References().Concat(packageAssemblies.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)));
        // nullable annotations without the nullable analysis: the analysis only ever produces warnings, which batou does
        // not show, and it was a third of compiling the 1,000-File repository (the metadata emitted is the same)
        var compilation = CSharpCompilation.Create(assemblyName, trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Annotations,
                optimizationLevel: OptimizationLevel.Debug, deterministic: true));
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        // where each class was declared travels as a resource, not as assembly attributes: binding 1,000 attributes
        // was a fifth of compiling 1,000 classes, and reading them back instantiated each one by reflection
        var manifest = ComponentSource.Write(sources);
        var resources = new[] { new ResourceDescription(ComponentSource.ResourceName, () => new MemoryStream(manifest), isPublic: true) };
        var result = compilation.Emit(pe, pdb, manifestResources: resources,
            options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb));
        var errors = result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.GetLineSpan().StartLinePosition.Line)
            .Select(d => ToDiagnostic(d, baseDir))
            .ToList();
        if (errors.Count > 0) return errors;
        Directory.CreateDirectory(Path.GetDirectoryName(dllPath)!);
        Util.AtomicFile.Write(pdbPath, pdb.ToArray());
        Util.AtomicFile.Write(dllPath, pe.ToArray());
        return [];
    }

    private static CompileDiagnostic ToDiagnostic(Diagnostic d, string baseDir)
    {
        var span = d.Location.GetLineSpan();
        var file = span.Path is { Length: > 0 } p ? (Path.IsPathRooted(p) ? Path.GetRelativePath(baseDir, p) : p) : "(components)";
        return new CompileDiagnostic(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1,
            $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private static string MetadataName(ClassDeclarationSyntax type)
    {
        var name = type.Identifier.Text + (type.TypeParameterList is { } tp ? "`" + tp.Parameters.Count : "");
        var ns = type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Reverse().ToList();
        return ns.Count == 0 ? name : string.Join('.', ns) + "." + name;
    }

    private static IReadOnlyList<MetadataReference> References()
    {
        if (s_references is not null) return s_references;
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
            foreach (var p in tpa.Split(Path.PathSeparator))
                if (p.EndsWith(".dll", StringComparison.Ordinal) && !Path.GetFileName(p).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
                    paths.Add(p);
        if (paths.Count == 0)
            return s_references = SingleFileReferences();   // a single-file build has no assembly files to point at
        var references = paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        foreach (var assembly in EngineAssemblies())
        {
#pragma warning disable IL3000 // Location is empty only in single-file builds, handled above
            var location = assembly.Location;
#pragma warning restore IL3000
            if (location.Length > 0 && paths.Add(location))
                references.Add(MetadataReference.CreateFromFile(location));
        }
        return s_references = references;
    }

    private static Assembly[] EngineAssemblies() =>
        [typeof(Component).Assembly, typeof(HandlebarsDotNet.Handlebars).Assembly, typeof(YamlDotNet.Serialization.Serializer).Assembly];

    /// <summary>References read from the loaded assemblies' metadata in memory (single-file builds).</summary>
    private static List<MetadataReference> SingleFileReferences()
    {
        foreach (var name in new[] { "System.Runtime", "System.Collections", "System.Linq", "System.Console", "System.Text.RegularExpressions",
                     "System.Net.Primitives", "System.Net.Http", "System.Threading", "System.Threading.Tasks", "System.IO.Compression", "netstandard" })
        {
            try { Assembly.Load(name); } catch (FileNotFoundException) { }
        }
        _ = EngineAssemblies();
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.GetName().Name is { } n && !n.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && !n.StartsWith("batou-components", StringComparison.Ordinal))
            .Select(RawReference)
            .OfType<MetadataReference>()
            .ToList();
    }

    private static unsafe MetadataReference? RawReference(Assembly assembly) =>
        System.Reflection.Metadata.AssemblyExtensions.TryGetRawMetadata(assembly, out var blob, out var length)
            ? AssemblyMetadata.Create(ModuleMetadata.CreateFromMetadata((IntPtr)blob, length)).GetReference()
            : null;
}
