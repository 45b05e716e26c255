namespace Batou.Lib.Internal;

/// <summary>Copies a directory tree: files with their modes (File.Copy keeps them on Unix), symbolic links as links.</summary>
internal static class TreeCopy
{
    public static void Copy(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var destination = System.IO.Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link) System.IO.File.CreateSymbolicLink(destination, link);
            else if (entry is DirectoryInfo) Copy(entry.FullName, destination);
            else System.IO.File.Copy(entry.FullName, destination);
        }
    }
}
