using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Batou.Engine.Loading;

/// <summary>
/// Written by the component compiler into the assembly as a resource (one line per top-level class: its metadata
/// name, component folder and source file, tab-separated): which component folder a class was declared in.
/// </summary>
internal sealed record ComponentSource(string TypeName, string Directory, string File)
{
    public const string ResourceName = "batou-component-sources";

    private static readonly ConditionalWeakTable<Assembly, IReadOnlyList<ComponentSource>> s_read = [];

    public static byte[] Write(IEnumerable<ComponentSource> sources)
    {
        var text = new StringBuilder();
        foreach (var s in sources) text.Append(s.TypeName).Append('\t').Append(s.Directory).Append('\t').Append(s.File).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The sources recorded in <paramref name="assembly"/> (none for an assembly the compiler did not make).</summary>
    public static IReadOnlyList<ComponentSource> Of(Assembly assembly) => s_read.GetValue(assembly, Read);

    private static List<ComponentSource> Read(Assembly assembly)
    {
        var list = new List<ComponentSource>();
        using var stream = assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return list;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\t');
            if (parts.Length == 3) list.Add(new ComponentSource(parts[0], parts[1], parts[2]));
        }
        return list;
    }
}
