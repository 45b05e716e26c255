using System.Text;
using Batou.Engine.Api;

namespace Batou.Engine.Loading.CompileServer;

/// <summary>One compilation: the sources of a repository into <see cref="DllPath"/> and <see cref="PdbPath"/>.</summary>
internal sealed record CompileRequest(string BaseDir, IReadOnlyList<string> Files, IReadOnlyList<string> PackageAssemblies, string AssemblyName, string DllPath, string PdbPath)
{
    private const string Magic = "batou-compile-1";

    public void Write(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(BaseDir);
        writer.Write(AssemblyName);
        writer.Write(DllPath);
        writer.Write(PdbPath);
        WriteList(writer, Files);
        WriteList(writer, PackageAssemblies);
        writer.Flush();
    }

    /// <summary>The request on the wire; null when it is not one (another program, another protocol version).</summary>
    public static CompileRequest? Read(BinaryReader reader) => ReadAfterMagic(reader.ReadString(), reader);

    /// <summary>The request whose first string, <paramref name="first"/>, was read already.</summary>
    public static CompileRequest? ReadAfterMagic(string first, BinaryReader reader)
    {
        if (first != Magic) return null;
        var baseDir = reader.ReadString();
        var name = reader.ReadString();
        var dll = reader.ReadString();
        var pdb = reader.ReadString();
        return new CompileRequest(baseDir, ReadList(reader), ReadList(reader), name, dll, pdb);
    }

    internal static void WriteList(BinaryWriter writer, IReadOnlyList<string> items)
    {
        writer.Write(items.Count);
        foreach (var item in items) writer.Write(item);
    }

    internal static List<string> ReadList(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > 1_000_000) throw new InvalidDataException("not a compile request");
        var items = new List<string>(count);
        for (var i = 0; i < count; i++) items.Add(reader.ReadString());
        return items;
    }

    public static BinaryWriter Writer(Stream stream) => new(stream, new UTF8Encoding(false), leaveOpen: true);

    public static BinaryReader Reader(Stream stream) => new(stream, new UTF8Encoding(false), leaveOpen: true);
}

/// <summary>A compiler error, as the user sees it: the file relative to the repository, line and column from 1, and the compiler's id and message.</summary>
internal sealed record CompileDiagnostic(string File, int Line, int Column, string Text)
{
    public BatouError ToError() =>
        BatouError.Create("ComponentLoadingError", "Failed loading component file", ("File", $"{File}:{Line}:{Column}"), ("Exception", Text))
            with { File = File, Line = Line, SortKey = 0 };

    public void Write(BinaryWriter writer)
    {
        writer.Write(File);
        writer.Write(Line);
        writer.Write(Column);
        writer.Write(Text);
    }

    public static CompileDiagnostic Read(BinaryReader reader) => new(reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadString());
}
