using LibGit2Sharp;

namespace Batou.Web.Git;

/// <summary>
/// Writes a git tree into a directory straight from the object database (no checkout, no git process):
/// files with their executable bit, symbolic links as links; submodules are left out, as <c>git archive</c> does.
/// </summary>
internal static class TreeExtractor
{
    public static void Extract(Tree tree, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var entry in tree)
        {
            var path = Path.Combine(target, entry.Name);
            switch (entry.Mode)
            {
                case Mode.Directory:
                    Extract((Tree)entry.Target, path);
                    break;
                case Mode.SymbolicLink:
                    System.IO.File.CreateSymbolicLink(path, ((Blob)entry.Target).GetContentText().TrimEnd('\n'));
                    break;
                case Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile or Mode.ExecutableFile:
                    WriteBlob((Blob)entry.Target, path, entry.Mode == Mode.ExecutableFile);
                    break;
            }
        }
    }

    private static void WriteBlob(Blob blob, string path, bool executable)
    {
        using (var source = blob.GetContentStream())
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            source.CopyTo(file);
        if (executable && !OperatingSystem.IsWindows())
            System.IO.File.SetUnixFileMode(path, System.IO.File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }
}
