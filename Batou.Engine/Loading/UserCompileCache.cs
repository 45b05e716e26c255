namespace Batou.Engine.Loading;

/// <summary>
/// Compiled components shared by every checkout of one user: <c>$BATOU_COMPILE_CACHE</c>, else
/// <c>$XDG_CACHE_HOME/batou/components</c>, else <c>~/.cache/batou/components</c>
/// (<c>BATOU_COMPILE_CACHE=off</c> turns it off). The file name is the content hash the repository's
/// own cache uses (engine build, relative paths and bytes of the sources, packages), so a second
/// checkout or a clone of the same sources copies the assembly instead of running Roslyn.
/// Best effort: a cache that cannot be read or written is the same as an empty one.
/// </summary>
internal sealed class UserCompileCache(string? directory)
{
    /// <summary>How many assemblies stay; the least recently stored go first.</summary>
    public const int Keep = 64;

    public static UserCompileCache Default { get; } = new(Locate());

    public string? Directory => directory;

    /// <summary>Copies the cached assembly and PDB of <paramref name="hash"/> to <paramref name="dll"/>/<paramref name="pdb"/>; false when there is none.</summary>
    public bool TryRestore(string hash, string dll, string pdb)
    {
        if (directory is null) return false;
        var cached = Path.Combine(directory, hash + ".dll");
        var cachedPdb = Path.ChangeExtension(cached, ".pdb");
        try
        {
            if (!File.Exists(cached) || !File.Exists(cachedPdb)) return false;
            var pdbBytes = File.ReadAllBytes(cachedPdb);
            var peBytes = File.ReadAllBytes(cached);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
            Util.AtomicFile.Write(pdb, pdbBytes);
            Util.AtomicFile.Write(dll, peBytes);   // the dll last: the repository's cache is complete once it exists
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Keeps a freshly compiled assembly for the user's other checkouts.</summary>
    public void Store(string hash, string dll, string pdb)
    {
        if (directory is null) return;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var cached = Path.Combine(directory, hash + ".dll");
            Util.AtomicFile.Write(Path.ChangeExtension(cached, ".pdb"), File.ReadAllBytes(pdb));
            Util.AtomicFile.Write(cached, File.ReadAllBytes(dll));
            Prune();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // another checkout's run stored it at the same moment, or the cache is not writable: compiled anyway
        }
    }

    private void Prune()
    {
        var old = new DirectoryInfo(directory!).GetFiles("*.dll").OrderByDescending(f => f.LastWriteTimeUtc).Skip(Keep);
        foreach (var file in old)
        {
            File.Delete(Path.ChangeExtension(file.FullName, ".pdb"));
            file.Delete();
        }
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("BATOU_COMPILE_CACHE");
        if (configured == "off") return null;
        if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "batou", "components");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "batou", "components");
    }
}
