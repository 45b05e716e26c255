using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Batou.Engine.Loading.CompileServer;

/// <summary>
/// How the host program starts a compile server: <paramref name="Program"/> and <paramref name="Prefix"/> run
/// <c>batou</c> (the apphost, or <c>dotnet batou.dll</c>), <c>compile-server --dir D --idle SECONDS</c> is appended.
/// The server gets a session of its own, no stdio, and only the environment a compiler needs (nothing from the
/// deployment's environment stays alive in it).
/// </summary>
internal sealed record CompileServerLauncher(string Program, IReadOnlyList<string> Prefix, TimeSpan Idle)
{
    /// <summary>The default idle time (like <c>dotnet build-server</c>'s compiler); <c>BATOU_COMPILE_SERVER_IDLE</c> (seconds) changes it.</summary>
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromMinutes(10);

    private static readonly string[] s_passed =
        ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "DOTNET_ROOT", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME"];

    /// <summary>Where the server listens; null when no private directory can be had (then every compilation stays in process).</summary>
    public string? Directory { get; init; }

    internal CompileServerPaths? Paths() => Directory is { } dir ? CompileServerPaths.In(dir) : CompileServerPaths.Default();

    /// <summary>Starts a server (a second one of the same build exits at once: the lock) and waits up to 10 s for its socket.</summary>
    internal Socket? StartAndConnect(CompileServerPaths paths)
    {
        // working directory /: a long-lived process must not pin the directory of the deployment that started it
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = "/" };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1 &");
        start.ArgumentList.Add(Program);
        foreach (var a in Prefix) start.ArgumentList.Add(a);
        foreach (var a in new[] { "compile-server", "--dir", paths.Directory, "--idle", ((long)Idle.TotalSeconds).ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        start.Environment.Clear();
        foreach (var name in s_passed)
            if (System.Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        try
        {
            using var shell = Process.Start(start);
            shell?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (CompileServerClient.Connect(paths.Socket) is { } socket) return socket;
            Thread.Sleep(5);
        }
        return null;
    }

    /// <summary>
    /// The launcher of the running <c>batou</c> program, or null when compilations should stay in process: not on Linux
    /// (the server checks its peer with <c>SO_PEERCRED</c>), <c>BATOU_COMPILE_SERVER=off</c>, or no program path.
    /// </summary>
    public static CompileServerLauncher? ForThisProcess(string? entryAssembly)
    {
        if (!OperatingSystem.IsLinux()) return null;
        if (System.Environment.GetEnvironmentVariable("BATOU_COMPILE_SERVER") is "off" or "0" or "false") return null;
        if (System.Environment.ProcessPath is not { } self) return null;
        var idle = DefaultIdle;
        if (System.Environment.GetEnvironmentVariable("BATOU_COMPILE_SERVER_IDLE") is { } text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            idle = TimeSpan.FromSeconds(seconds);
        var viaDotnet = Path.GetFileNameWithoutExtension(self) == "dotnet";
        if (viaDotnet && entryAssembly is not { Length: > 0 }) return null;
        return new CompileServerLauncher(self, viaDotnet ? [entryAssembly!] : [], idle);
    }
}
