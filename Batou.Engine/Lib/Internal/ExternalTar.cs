namespace Batou.Lib.Internal;

/// <summary>
/// .tar.bz2 and .tar.xz through GNU <c>tar</c> (argument list, no shell). Member names are checked
/// before extracting; tar itself refuses to write through symbolic links it created.
/// </summary>
internal static class ExternalTar
{
    public static List<ArchiveEntry> List(Component component, string archive, ArchiveFormat format, int strip)
    {
        var result = Programs.Run(component, "tar", ["-t", Compression(format), "--quoting-style=literal", "-f", archive]);
        var entries = new List<ArchiveEntry>();
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = ArchivePaths.Strip(line, strip);
            if (name is null) continue;
            entries.Add(new ArchiveEntry(name, line.EndsWith('/') ? ArchiveEntryKind.Directory : ArchiveEntryKind.File));
        }
        return entries;
    }

    /// <summary>Extracts with <c>--touch</c>, so files get the extraction time like the native extractors.</summary>
    public static void Extract(Component component, string archive, ArchiveFormat format, string target, int strip)
    {
        foreach (var entry in List(component, archive, format, strip))
            ArchivePaths.Resolve(target, entry.Name);
        Programs.Run(component, "tar",
            ["-x", Compression(format), "-f", archive, "-C", target, $"--strip-components={strip}", "--touch", "--no-same-owner"]);
    }

    private static string Compression(ArchiveFormat format) => format switch
    {
        ArchiveFormat.TarBz2 => "-j",
        ArchiveFormat.TarXz => "-J",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "only bzip2 and xz archives use the tar program"),
    };
}
