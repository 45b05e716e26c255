using System.Formats.Tar;
using System.IO.Compression;

namespace Batou.Lib.Internal;

/// <summary>Lists and extracts .tar and .tar.gz archives with System.Formats.Tar (no external program).</summary>
internal static class NativeTar
{
    public static List<ArchiveEntry> List(string archive, bool gzip, int strip)
    {
        var result = new List<ArchiveEntry>();
        Read(archive, gzip, strip, (entry, _) => result.Add(entry));
        return result;
    }

    /// <summary>Extracts into <paramref name="target"/>; files get the extraction time as modification time.</summary>
    public static void Extract(string archive, bool gzip, string target, int strip) =>
        Read(archive, gzip, strip, (entry, tar) =>
        {
            var full = ArchivePaths.Resolve(target, entry.Name);
            ArchivePaths.EnsureNoLinkOnPath(target, full, entry.Name);
            switch (entry.Kind)
            {
                case ArchiveEntryKind.Directory:
                    if (new FileInfo(full).LinkTarget is not null || System.IO.File.Exists(full)) System.IO.File.Delete(full);
                    System.IO.Directory.CreateDirectory(full);
                    break;
                case ArchiveEntryKind.File:
                    System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                    ArchivePaths.RemoveExisting(full, directoryToo: true);
                    using (var output = new FileStream(full, FileMode.CreateNew, FileAccess.Write))
                        tar.DataStream?.CopyTo(output);
                    System.IO.File.SetUnixFileMode(full, tar.Mode & (UnixFileMode)0x1FF);
                    break;
                case ArchiveEntryKind.Symlink:
                    ArchivePaths.EnsureLinkInside(target, full, entry.LinkName!, entry.Name);
                    System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                    ArchivePaths.RemoveExisting(full, directoryToo: true);
                    System.IO.File.CreateSymbolicLink(full, entry.LinkName!);
                    break;
                case ArchiveEntryKind.HardLink:
                    var source = ArchivePaths.Strip(entry.LinkName!, strip)
                        ?? throw new InvalidDataException($"Archive member \"{entry.Name}\" links to \"{entry.LinkName}\", which --strip removes.");
                    var sourcePath = ArchivePaths.Resolve(target, source);
                    ArchivePaths.EnsureNoLinkOnPath(target, sourcePath, source);
                    System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                    ArchivePaths.RemoveExisting(full, directoryToo: true);
                    System.IO.File.Copy(sourcePath, full);
                    break;
            }
        });

    private static void Read(string archive, bool gzip, int strip, Action<ArchiveEntry, TarEntry> handle)
    {
        using var file = System.IO.File.OpenRead(archive);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } tar)
        {
            var kind = Kind(tar);
            if (kind is null) continue;
            var name = ArchivePaths.Strip(tar.Name, strip);
            if (name is null) continue;
            handle(new ArchiveEntry(name, kind.Value, tar.LinkName is { Length: > 0 } link ? link : null), tar);
        }
    }

    private static ArchiveEntryKind? Kind(TarEntry tar) => tar.EntryType switch
    {
        TarEntryType.Directory => ArchiveEntryKind.Directory,
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => ArchiveEntryKind.File,
        TarEntryType.SymbolicLink => ArchiveEntryKind.Symlink,
        TarEntryType.HardLink => ArchiveEntryKind.HardLink,
        TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes or TarEntryType.LongLink
            or TarEntryType.LongPath or TarEntryType.DirectoryList => null,
        _ => throw new InvalidDataException($"Archive member \"{tar.Name}\" is a {tar.EntryType}; only files, directories and links can be extracted."),
    };
}
