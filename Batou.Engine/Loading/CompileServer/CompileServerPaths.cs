namespace Batou.Engine.Loading.CompileServer;

/// <summary>
/// Where the compile server of this engine build listens: <c>$XDG_RUNTIME_DIR/batou-compile</c>, else
/// <c>~/.cache/batou/compile</c> (both inside directories only this user can write), made 0700 and set back to 0700
/// (a directory of another user cannot be: then no server is used); <c>&lt;engine build&gt;.sock</c> (0600) and a lock file
/// (<c>&lt;engine build&gt;.lock</c>, flocked by the listening server) so one server per build listens.
/// </summary>
internal sealed record CompileServerPaths(string Directory, string Build)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Socket => Path.Combine(Directory, Build + ".sock");

    public string LockFile => Path.Combine(Directory, Build + ".lock");

    /// <summary>The default directory, for this engine build; null when it cannot be made private.</summary>
    public static CompileServerPaths? Default()
    {
        var runtime = System.Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var dir = runtime is { Length: > 0 } && System.IO.Directory.Exists(runtime)
            ? Path.Combine(runtime, "batou-compile")
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache", "batou", "compile");
        return In(dir);
    }

    /// <summary>The paths in <paramref name="dir"/> (created 0700); null when it cannot be made private.</summary>
    public static CompileServerPaths? In(string dir)
    {
        try
        {
            System.IO.Directory.CreateDirectory(dir);
            if (File.GetUnixFileMode(dir) != Private) File.SetUnixFileMode(dir, Private);
            return new CompileServerPaths(dir, EngineBuild());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The engine build's id: a server compiles exactly as the engine that asks it would.</summary>
    private static string EngineBuild() => typeof(Component).Assembly.ManifestModule.ModuleVersionId.ToString("N");
}
