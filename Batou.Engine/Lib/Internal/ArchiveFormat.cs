namespace Batou.Lib.Internal;

/// <summary>The archive types <see cref="Extract"/> understands, recognised by the file name.</summary>
internal enum ArchiveFormat { Tar, TarGz, TarBz2, TarXz, Zip }

internal static class ArchiveFormats
{
    private static readonly (string Suffix, ArchiveFormat Format)[] s_suffixes =
    [
        (".tar.gz", ArchiveFormat.TarGz), (".tgz", ArchiveFormat.TarGz),
        (".tar.bz2", ArchiveFormat.TarBz2), (".tbz2", ArchiveFormat.TarBz2), (".tbz", ArchiveFormat.TarBz2),
        (".tar.xz", ArchiveFormat.TarXz), (".txz", ArchiveFormat.TarXz),
        (".tar", ArchiveFormat.Tar), (".zip", ArchiveFormat.Zip),
    ];

    public const string Supported = ".tar, .tar.gz, .tgz, .tar.bz2, .tbz2, .tar.xz, .txz, .zip";

    /// <summary>The format and the name without its suffix, or null for an unknown type.</summary>
    public static (ArchiveFormat Format, string BaseName)? Detect(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        foreach (var (suffix, format) in s_suffixes)
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                return (format, name[..^suffix.Length]);
        return null;
    }
}
