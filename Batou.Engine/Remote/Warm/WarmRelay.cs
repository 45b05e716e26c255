using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Batou.Engine.Remote.Warm;

/// <summary>
/// <c>batou agent --warm &lt;seconds&gt;</c>, what the controller starts on the host in warm mode: it hands its
/// stdio to the warm agent of this agent binary (starting one, detached, when none listens) and relays bytes
/// both ways until either side ends. When no warm agent can serve (busy with another session, cannot start,
/// the socket directory is not private) it runs today's agent itself: warm mode never makes a run fail.
/// </summary>
public static class WarmRelay
{
    public static async Task<int> RunAsync(TimeSpan idle, Func<Task<int>> cold)
    {
        Socket? socket = null;
        try
        {
            var paths = WarmPaths.ForThisAgent();
            socket = Connect(paths.Socket) ?? StartAndConnect(paths, idle);
            if (socket is not null)
            {
                WarmHandshake.Send(socket, WarmHandshake.Session(idle, System.Environment.GetEnvironmentVariable("SSH_CLIENT")?.Split(' ')[0]));
                if (WarmHandshake.Receive(socket) is { } reply && reply.StartsWith("ready ", StringComparison.Ordinal))
                {
                    await RelayAsync(socket).ConfigureAwait(false);
                    return 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"batou agent: no warm agent ({e.Message}); running cold").ConfigureAwait(false);
        }
        socket?.Dispose();
        return await cold().ConfigureAwait(false);
    }

    /// <summary>Asks every warm agent of this account to end (after the session it serves, if any): <c>--no-warm</c>.</summary>
    public static void StopAll()
    {
        try
        {
            var paths = WarmPaths.ForThisAgent();
            foreach (var path in paths.OtherSockets().Append(paths.Socket)) AskToExit(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    internal static void AskToExit(string path)
    {
        using var socket = Connect(path);
        if (socket is null)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }   // nobody listens: stale
            return;
        }
        try { WarmHandshake.Send(socket, WarmHandshake.Exit); } catch (SocketException) { }
    }

    internal static Socket? Connect(string path)
    {
        if (!File.Exists(path)) return null;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Starts the warm agent in a session of its own (no stdio of this ssh channel) and waits up to 10 s for its socket.</summary>
    private static Socket? StartAndConnect(WarmPaths paths, TimeSpan idle)
    {
        var self = System.Environment.ProcessPath ?? throw new IOException("no process path");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", "exec \"$0\" agent --warm-serve \"$1\" </dev/null >/dev/null 2>&1 &", self, ((long)idle.TotalSeconds).ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        using (var shell = Process.Start(start) ?? throw new IOException("could not start the warm agent"))
            shell.WaitForExit();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (Connect(paths.Socket) is { } socket) return socket;
            Thread.Sleep(10);
        }
        return null;
    }

    private static async Task RelayAsync(Socket socket)
    {
        await using var network = new NetworkStream(socket, ownsSocket: true);
        var stdin = Console.OpenStandardInput();
        var stdout = Console.OpenStandardOutput();
        _ = Task.Run(async () =>
        {
            try { await stdin.CopyToAsync(network).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { }
            // the controller ended the session: the warm agent sees the end of its input, as a cold agent would
            try { socket.Shutdown(SocketShutdown.Send); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await network.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await stdout.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                await stdout.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException) { }
    }
}
