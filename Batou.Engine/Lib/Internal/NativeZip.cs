using System.IO.Compression;

namespace Batou.Lib.Internal;

/// <summary>Lists and extracts .zip archives with System.IO.Compression; supports stripping leading components.</summary>
internal static class NativeZip
{
    private const int FileTypeMask = 0xF000;
    private const int SymlinkType = 0xA000;

    public static List<ArchiveEntry> List(string archive, int strip)
    {
        using var zip = ZipFile.OpenRead(archive);
        return Entries(zip, strip).Select(e => e.Entry).ToList();
    }

    /// <summary>Extracts into <paramref name="target"/>; files get the extraction time as modification time.</summary>
    public static void Extract(string archive, string target, int strip)
    {
        using var zip = ZipFile.OpenRead(archive);
        foreach (var (entry, zipEntry) in Entries(zip, strip))
        {
            var full = ArchivePaths.Resolve(target, entry.Name);
            ArchivePaths.EnsureNoLinkOnPath(target, full, entry.Name);
            if (entry.Kind == ArchiveEntryKind.Directory)
            {
                if (new FileInfo(full).LinkTarget is not null || System.IO.File.Exists(full)) System.IO.File.Delete(full);
                System.IO.Directory.CreateDirectory(full);
                continue;
            }
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            ArchivePaths.RemoveExisting(full, directoryToo: true);
            if (entry.Kind == ArchiveEntryKind.Symlink)
            {
                using var reader = new StreamReader(zipEntry.Open());
                var link = reader.ReadToEnd();
                ArchivePaths.EnsureLinkInside(target, full, link, entry.Name);
                System.IO.File.CreateSymbolicLink(full, link);
                continue;
            }
            using (var input = zipEntry.Open())
            using (var output = new FileStream(full, FileMode.CreateNew, FileAccess.Write))
                input.CopyTo(output);
            var mode = (zipEntry.ExternalAttributes >> 16) & 0x1FF;
            if (mode != 0)
                System.IO.File.SetUnixFileMode(full, (UnixFileMode)mode);
        }
    }

    private static IEnumerable<(ArchiveEntry Entry, ZipArchiveEntry ZipEntry)> Entries(ZipArchive zip, int strip)
    {
        foreach (var zipEntry in zip.Entries)
        {
            var name = ArchivePaths.Strip(zipEntry.FullName, strip);
            if (name is null) continue;
            var kind = zipEntry.FullName.EndsWith('/') || zipEntry.FullName.EndsWith('\\') ? ArchiveEntryKind.Directory
                : ((zipEntry.ExternalAttributes >> 16) & FileTypeMask) == SymlinkType ? ArchiveEntryKind.Symlink
                : ArchiveEntryKind.File;
            yield return (new ArchiveEntry(name, kind), zipEntry);
        }
    }
}
