using System.Net.Sockets;

namespace Batou.Engine.Loading.CompileServer;

/// <summary>
/// Compiles through the warm compile server when the host program allowed it (<see cref="Enable"/>: the CLI's
/// <c>deploy</c>), else, or when the server cannot be reached, in this process. The first compilation starts the server
/// and hands it the request, so this process never loads Roslyn; later ones (another repository, changed sources) find
/// it warm. <c>BATOU_COMPILE_SERVER=off</c> turns it off.
/// </summary>
internal static class CompileServerClient
{
    /// <summary>How long a compilation may take in the server before this process gives up on it and compiles itself.</summary>
    private static readonly TimeSpan s_answer = TimeSpan.FromMinutes(5);

    private static CompileServerLauncher? s_launcher;

    /// <summary>Lets compilations go through a compile server started with <paramref name="launcher"/>.</summary>
    public static void Enable(CompileServerLauncher launcher) => s_launcher = launcher;

    public static IReadOnlyList<CompileDiagnostic> Compile(CompileRequest request) =>
        s_launcher is { } launcher && TryRemote(launcher, request) is { } remote ? remote : ComponentCompiler.Compile(request);

    private static IReadOnlyList<CompileDiagnostic>? TryRemote(CompileServerLauncher launcher, CompileRequest request)
    {
        if (launcher.Paths() is not { } paths) return null;
        using var socket = Connect(paths.Socket) ?? launcher.StartAndConnect(paths);
        if (socket is null) return null;
        try
        {
            socket.ReceiveTimeout = (int)s_answer.TotalMilliseconds;
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var writer = CompileRequest.Writer(stream);
            using var reader = CompileRequest.Reader(stream);
            // the server runs elsewhere (its working directory is /): it gets absolute paths only
            Absolute(request).Write(writer);
            var status = reader.ReadByte();
            if (status is not (CompileServerHost.Compiled or CompileServerHost.Failed)) return null;
            var count = reader.ReadInt32();
            var diagnostics = new List<CompileDiagnostic>(count);
            for (var i = 0; i < count; i++) diagnostics.Add(CompileDiagnostic.Read(reader));
            // a server that claims success but left no assembly behind is not believed
            if (status == CompileServerHost.Compiled && !File.Exists(request.DllPath)) return null;
            return diagnostics;
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or ObjectDisposedException)
        {
            return null;   // the server went away (idle end, killed): compile here
        }
    }

    private static CompileRequest Absolute(CompileRequest r) => new(Path.GetFullPath(r.BaseDir), [.. r.Files.Select(Path.GetFullPath)],
        [.. r.PackageAssemblies.Select(Path.GetFullPath)], r.AssemblyName, Path.GetFullPath(r.DllPath), Path.GetFullPath(r.PdbPath));

    /// <summary>A connection to a listening server; null when none listens there.</summary>
    internal static Socket? Connect(string path) => Remote.Warm.WarmRelay.Connect(path);

    /// <summary>Sends a one-word request (<see cref="CompileServerHost.Stop"/>, <see cref="CompileServerHost.Status"/>); the answer, "" for none, null when no server listens.</summary>
    internal static string? Ask(CompileServerPaths paths, string word)
    {
        using var socket = Connect(paths.Socket);
        if (socket is null) return null;
        try
        {
            socket.ReceiveTimeout = 10_000;
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var writer = CompileRequest.Writer(stream);
            using var reader = CompileRequest.Reader(stream);
            writer.Write(word);
            writer.Flush();
            return word == CompileServerHost.Status ? reader.ReadString() : "";
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
        {
            return null;
        }
    }
}
