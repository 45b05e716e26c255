using System.Net.Sockets;
using Batou.Engine.Remote.Warm;

namespace Batou.Engine.Loading.CompileServer;

/// <summary>
/// <c>batou compile-server</c>: Roslyn kept warm between runs, like <c>dotnet build-server</c>. A cold process spends
/// most of a compilation loading and JIT-compiling the compiler itself (generic code ReadyToRun cannot precompile);
/// a warm one compiles the same sources several times faster. It compiles and nothing else: it never loads or runs the
/// components it compiles, and holds no secret (sources only). Serves only its own user (<c>SO_PEERCRED</c>), one
/// compilation at a time, and ends after <c>idle</c> without a request or on a <c>stop</c> request.
/// </summary>
internal static class CompileServerHost
{
    internal const byte Compiled = 0, Failed = 1, Broken = 2;
    internal const string Stop = "batou-compile-stop", Status = "batou-compile-status";

    public static int Run(string directory, TimeSpan idle)
    {
        WarmNative.SetSid();   // no controlling terminal: the deployment that started it may end or be interrupted
        if (CompileServerPaths.In(directory) is not { } paths) return 1;
        using var held = WarmServer.TryLock(paths.LockFile);
        if (held is null) return 0;   // another server of this build listens
        File.Delete(paths.Socket);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(paths.Socket));
        File.SetUnixFileMode(paths.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(64);
        var me = WarmNative.GetEuid();
        var compilations = 0;
        try
        {
            while (true)
            {
                var accept = listener.AcceptAsync();
                if (!accept.Wait(idle)) break;   // idle for the whole idle time
                using var client = accept.Result;
                if (WarmNative.PeerUid(client) != me) continue;
                client.ReceiveTimeout = 30_000;
                try
                {
                    if (Serve(client, ref compilations)) break;
                }
                catch (Exception e) when (e is IOException or SocketException or InvalidDataException or EndOfStreamException) { }
            }
        }
        finally
        {
            try { File.Delete(paths.Socket); } catch (IOException) { }
        }
        return 0;
    }

    /// <summary>One request; true when it asked the server to stop.</summary>
    private static bool Serve(Socket client, ref int compilations)
    {
        using var stream = new NetworkStream(client, ownsSocket: false);
        using var reader = CompileRequest.Reader(stream);
        using var writer = CompileRequest.Writer(stream);
        var first = reader.ReadString();
        if (first == Stop) return true;
        if (first == Status)
        {
            writer.Write($"pid {System.Environment.ProcessId}, {compilations} compilation(s)");
            writer.Flush();
            return false;
        }
        if (CompileRequest.ReadAfterMagic(first, reader) is not { } request) return false;
        IReadOnlyList<CompileDiagnostic> diagnostics;
        try
        {
            diagnostics = ComponentCompiler.Compile(request);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a source vanished or cannot be read: the asking engine compiles itself and reports it its own way
            writer.Write(Broken);
            writer.Write(e.Message);
            writer.Flush();
            return false;
        }
        compilations++;
        writer.Write(diagnostics.Count == 0 ? Compiled : Failed);
        writer.Write(diagnostics.Count);
        foreach (var d in diagnostics) d.Write(writer);
        writer.Flush();
        // the compilation's syntax trees and symbols are garbage now: give the memory back while nobody waits
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return false;
    }
}
