using Batou.Engine.Loading.CompileServer;

namespace Batou.Engine.Api;

/// <summary>The warm compile server, as the CLI sees it (docs/components.md, "The compile server").</summary>
public static class CompileServerControl
{
    /// <summary>
    /// Lets this process's compilations go through the compile server, started from this program when none listens.
    /// <paramref name="entryAssembly"/>: the CLI's own assembly, for a run as <c>dotnet batou.dll</c>.
    /// Does nothing off Linux or with <c>BATOU_COMPILE_SERVER=off</c>.
    /// </summary>
    public static void EnableForThisProcess(string? entryAssembly)
    {
        if (CompileServerLauncher.ForThisProcess(entryAssembly) is { } launcher) CompileServerClient.Enable(launcher);
    }

    /// <summary>Runs the server in <paramref name="directory"/> until it was idle for <paramref name="idle"/>; the exit code.</summary>
    public static int Serve(string directory, TimeSpan idle) => CompileServerHost.Run(directory, idle);

    /// <summary>Where this build's server listens by default; null when that directory cannot be made private.</summary>
    public static string? Socket => CompileServerPaths.Default()?.Socket;

    /// <summary>The server's own description (pid, compilations); null when none listens.</summary>
    public static string? Status() => CompileServerPaths.Default() is { } paths ? CompileServerClient.Ask(paths, CompileServerHost.Status) : null;

    /// <summary>Asks the server to end; false when none listens.</summary>
    public static bool Stop() => CompileServerPaths.Default() is { } paths && CompileServerClient.Ask(paths, CompileServerHost.Stop) is not null;
}
