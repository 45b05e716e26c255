using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Batou.Engine.Loading;

/// <summary>
/// Where compiled components live: their NuGet packages (managed and native) come from the
/// restored package directory; everything else (the engine, the framework) from the host process.
/// </summary>
internal sealed class ComponentLoadContext(string name, string? packages) : AssemblyLoadContext(name)
{
    private static readonly string? s_engine = typeof(Component).Assembly.GetName().Name;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (packages is null || assemblyName.Name is null) return null;
        if (assemblyName.Name == s_engine) return null;   // a package that ships the engine must not bring a second copy of its types
        var path = Path.Combine(packages, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        if (packages is null) return IntPtr.Zero;
        foreach (var candidate in new[] { unmanagedDllName, "lib" + unmanagedDllName + ".so", unmanagedDllName + ".so" })
        {
            var path = Path.Combine(packages, candidate);
            if (File.Exists(path)) return NativeLibrary.Load(path);
        }
        return IntPtr.Zero;
    }
}
