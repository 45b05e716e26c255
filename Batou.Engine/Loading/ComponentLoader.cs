using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Batou.Engine.Api;

namespace Batou.Engine.Loading;

/// <summary>The component definitions of a repository, or the errors that prevented loading them.</summary>
internal sealed record ComponentLibrary(IReadOnlyDictionary<string, ComponentDefinition> Definitions, IReadOnlyList<Type> AllTypes, bool FromCache, TimeSpan Elapsed)
{
    /// <summary>The compiled assembly on disk (shipped to remote hosts).</summary>
    public string? AssemblyPath { get; init; }

    /// <summary>The restored NuGet packages of the components, if they declare any.</summary>
    public string? PackagesDirectory { get; init; }
}

/// <summary>
/// Finds <c>components/*/*.cs</c>, compiles them (or takes the cached assembly with the same
/// content hash from <c>work/.batou/components/</c>, else from the user's <see cref="UserCompileCache"/>)
/// and lists the root component classes.
/// </summary>
internal static class ComponentLoader
{
    // an object as the value: a value tuple here made the runtime JIT-compile the dictionary's code in every run
    private static readonly ConcurrentDictionary<string, Loaded> s_loaded = new();

    private sealed record Loaded(Assembly Assembly, byte[] Pe, byte[] Pdb);
    private static readonly ConcurrentDictionary<string, Assembly> s_prebuilt = new();

    public static ComponentLibrary Load(string baseDir, List<BatouError> errors)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var componentsDir = Path.Combine(baseDir, "components");
        var files = Directory.Exists(componentsDir)
            ? Directory.GetDirectories(componentsDir).Order(StringComparer.Ordinal)
                .SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                .ToList()
            : [];
        var packages = PackageRestorer.Restore(baseDir, errors);
        if (errors.Count > 0) return new ComponentLibrary(new Dictionary<string, ComponentDefinition>(), [], false, started.Elapsed);
        var cacheDir = Path.Combine(baseDir, "work", ".batou", "components");
        var engine = EngineId();
        // unchanged sources (same files, sizes and times as when last hashed) are not read again
        var state = SourceStamp.Describe(baseDir, files, engine, packages?.Hash);
        var stamped = state is not null && SourceStamp.Find(cacheDir, state) is { } known && File.Exists(Path.Combine(cacheDir, known + ".dll")) ? known : null;
        var hash = stamped ?? Hash(baseDir, files, packages?.Hash);
        var dll = Path.Combine(cacheDir, hash + ".dll");
        var pdbPath = Path.ChangeExtension(dll, ".pdb");
        var fromCache = File.Exists(dll);
        if (s_loaded.TryGetValue(hash, out var loaded))
        {
            // Loaded for another checkout with the same sources in this process: this repository's cache
            // (shipped to remote hosts) gets the same files.
            if (!fromCache)
            {
                Directory.CreateDirectory(cacheDir);
                Util.AtomicFile.Write(pdbPath, loaded.Pdb);
                Util.AtomicFile.Write(dll, loaded.Pe);
            }
            if (stamped is null && state is not null) SourceStamp.Write(cacheDir, hash, state);
            return Describe(loaded.Assembly, baseDir, packages?.Directory, errors, true, started.Elapsed) with { AssemblyPath = dll, PackagesDirectory = packages?.Directory };
        }
        if (!fromCache && UserCompileCache.Default.TryRestore(hash, dll, pdbPath))
        {
            fromCache = true;   // compiled for another checkout of the same sources
            Prune(cacheDir, hash);
        }
        if (!fromCache)
        {
            // through the warm compile server when the CLI allowed it (CompileServer/), else with Roslyn in this process
            var compileErrors = CompileServer.CompileServerClient.Compile(
                new CompileServer.CompileRequest(baseDir, files, packages?.Assemblies ?? [], "batou-components-" + hash[..16], dll, pdbPath));
            if (compileErrors.Count > 0)
            {
                foreach (var e in compileErrors) errors.Add(e.ToError());
                return new ComponentLibrary(new Dictionary<string, ComponentDefinition>(), [], false, started.Elapsed);
            }
            Prune(cacheDir, hash);
            UserCompileCache.Default.Store(hash, dll, pdbPath);
        }
        if (stamped is null && state is not null) SourceStamp.Write(cacheDir, hash, state);
        var peBytes = File.ReadAllBytes(dll);
        var pdbBytes = File.Exists(pdbPath) ? File.ReadAllBytes(pdbPath) : [];
        var context = new ComponentLoadContext("batou-components-" + hash[..16], packages?.Directory);
        var assembly = context.LoadFromStream(new MemoryStream(peBytes), pdbBytes.Length == 0 ? null : new MemoryStream(pdbBytes));
        loaded = s_loaded.GetOrAdd(hash, new Loaded(assembly, peBytes, pdbBytes));
        assembly = loaded.Assembly;
        return Describe(assembly, baseDir, packages?.Directory, errors, fromCache, started.Elapsed) with { AssemblyPath = dll, PackagesDirectory = packages?.Directory };
    }

    /// <summary>Loads an assembly compiled elsewhere (the controller ships it to targets, which never compile).</summary>
    public static ComponentLibrary LoadPrebuilt(string baseDir, string dll, string? packages, List<BatouError> errors)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        if (!File.Exists(dll))
        {
            errors.Add(BatouError.Create("ComponentLoadingError", "Compiled components are missing on this host", ("File", dll)));
            return new ComponentLibrary(new Dictionary<string, ComponentDefinition>(), [], false, started.Elapsed);
        }
        var key = "prebuilt:" + Path.GetFullPath(dll);
        var assembly = s_prebuilt.GetOrAdd(key, _ =>
        {
            var context = new ComponentLoadContext("batou-components-" + Path.GetFileNameWithoutExtension(dll), packages);
            using var pe = File.OpenRead(dll);
            var pdbPath = Path.ChangeExtension(dll, ".pdb");
            using var pdb = File.Exists(pdbPath) ? File.OpenRead(pdbPath) : null;
            return context.LoadFromStream(pe, pdb);
        });
        return Describe(assembly, baseDir, packages, errors, true, started.Elapsed) with { AssemblyPath = dll, PackagesDirectory = packages };
    }

    private static ComponentLibrary Describe(Assembly assembly, string baseDir, string? packages, List<BatouError> errors, bool fromCache, TimeSpan elapsed)
    {
        var definitions = new Dictionary<string, ComponentDefinition>(StringComparer.Ordinal);
        foreach (var source in ComponentSource.Of(assembly))
        {
            var type = assembly.GetType(source.TypeName);
            if (type is null || type.IsAbstract || !typeof(Component).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
                continue;
            var name = type.Name.ToLowerInvariant();
            var defdir = Path.Combine(baseDir, "components", source.Directory);
            if (definitions.TryGetValue(name, out var existing))
            {
                errors.Add(BatouError.Create("DuplicateComponent", "Two components have the same name",
                        ("Component", name), ("First", existing.SourceFile), ("Second", source.File))
                    with { File = source.File, SortKey = 2 });
                continue;
            }
            definitions[name] = new ComponentDefinition(name, type, defdir, source.File);
        }
        // roots from component packages (packages.txt `Name Version components`) come after the repository's own
        var packageTypes = ComponentPackages.Describe(AssemblyLoadContext.GetLoadContext(assembly)!, packages, definitions, errors);
        return new ComponentLibrary(definitions, [.. assembly.GetTypes(), .. packageTypes], fromCache, elapsed);
    }

    /// <summary>
    /// The engine build's id as hex, written by hand: Guid.ToString and Convert.ToHexString take vectorised paths
    /// ReadyToRun leaves to the JIT, in every run (docs/decisions.md, "Engine performance").
    /// </summary>
    private static string EngineId()
    {
        var engine = new byte[16];
        typeof(Component).Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(engine);
        return Hex(engine);
    }

    private static string Hash(string baseDir, IReadOnlyList<string> files, string? packages)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // the engine build's id as its 16 bytes
        Span<byte> engine = stackalloc byte[16];
        typeof(Component).Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(engine);
        sha.AppendData(engine);
        sha.AppendData(Encoding.UTF8.GetBytes("packages:" + packages));
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes("\0" + Path.GetRelativePath(baseDir, file) + "\0"));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Hex(sha.GetHashAndReset());
    }

    private static string Hex(byte[] bytes)
    {
        const string digits = "0123456789abcdef";
        var chars = new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = digits[bytes[i] >> 4];
            chars[2 * i + 1] = digits[bytes[i] & 0xF];
        }
        return new string(chars);
    }

    /// <summary>How old a temporary file of an interrupted write must be before a prune removes it.</summary>
    internal static readonly TimeSpan StaleTemporary = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Keeps the cache small: removes the files of other source states. Another process compiling the same checkout
    /// at this moment writes through a temporary file (<c>.name.batou-tmp-…</c>): that one stays until
    /// it is old enough to be left over from a killed run, else its writer's rename would fail.
    /// </summary>
    internal static void Prune(string cacheDir, string keep)
    {
        foreach (var file in Directory.GetFiles(cacheDir))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith(keep, StringComparison.Ordinal)) continue;
            try
            {
                if (name.StartsWith('.') && DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < StaleTemporary) continue;
                File.Delete(file);
            }
            catch (IOException) { }
        }
    }
}
