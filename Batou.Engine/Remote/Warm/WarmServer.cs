using System.Net.Sockets;
using System.Text;

namespace Batou.Engine.Remote.Warm;

/// <summary>
/// <c>batou agent --warm-serve &lt;seconds&gt;</c>: the warm agent. Listens on <see cref="WarmPaths.Socket"/>,
/// serves only its own user (<c>SO_PEERCRED</c>), one session at a time, each session exactly today's agent
/// protocol (<see cref="AgentServer"/>: lock, check, setup, deploy; the lock is taken and released per session).
/// What stays between sessions is the process (runtime started, code compiled) and the component assemblies it
/// loaded (keyed by their hash); the model, and every secret in it, belongs to its session and is dropped with it.
/// Ends after the idle time the last session asked for, on an <c>exit</c> request (<c>--no-warm</c>, or a warm
/// agent of another agent binary starting).
/// </summary>
public static class WarmServer
{
    public static async Task<int> RunAsync(TimeSpan idle)
    {
        WarmNative.SetSid();   // no controlling terminal, no ssh session: the channel that started it may close
        var paths = WarmPaths.ForThisAgent();
        using var held = TryLock(paths.LockFile);
        if (held is null) return 0;   // another warm agent of this binary listens
        File.Delete(paths.Socket);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(paths.Socket));
        File.SetUnixFileMode(paths.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        // an agent of another build is not the current one any more: ask it to end
        _ = Task.Run(() => { foreach (var other in paths.OtherSockets()) WarmRelay.AskToExit(other); });

        var me = WarmNative.GetEuid();
        var pid = System.Environment.ProcessId;
        var sessions = 0;
        var exiting = false;
        Task? session = null;
        var accept = listener.AcceptAsync();
        try
        {
            while (true)
            {
                Task[] waits = session is null ? [accept, Task.Delay(idle)] : [accept, session];
                var done = await Task.WhenAny(waits).ConfigureAwait(false);
                if (done != accept)
                {
                    if (session is null) break;   // idle for the whole idle time
                    session = null;
                    if (exiting) break;
                    continue;
                }
                Socket client;
                try { client = await accept.ConfigureAwait(false); }
                catch (SocketException) { break; }
                accept = listener.AcceptAsync();
                if (WarmNative.PeerUid(client) != me)
                {
                    client.Dispose();
                    continue;
                }
                var line = WarmHandshake.Receive(client);
                if (line == WarmHandshake.Exit)
                {
                    client.Dispose();
                    exiting = true;
                    if (session is null) break;
                    continue;
                }
                if (line is null || exiting || !WarmHandshake.TryParseSession(line, out var asked, out var controller))
                {
                    client.Dispose();
                    continue;
                }
                if (session is not null)
                {
                    try { WarmHandshake.Send(client, WarmHandshake.Busy); } catch (SocketException) { }
                    client.Dispose();
                    continue;
                }
                idle = asked;
                sessions++;
                WarmHandshake.Send(client, WarmHandshake.Ready(pid, sessions));
                var info = new WarmSession(pid, sessions);
                session = Task.Run(() => ServeAsync(client, info, controller));
            }
        }
        finally
        {
            if (session is not null) await session.ConfigureAwait(false);
            try { File.Delete(paths.Socket); } catch (IOException) { }
        }
        return 0;
    }

    /// <summary>
    /// One session, then what it allocated (its model, the decrypted values in it) is unreachable: forget and collect
    /// it — in the background, so the next run is not sent away as "busy" while the collection runs.
    /// </summary>
    private static async Task ServeAsync(Socket client, WarmSession info, string? controller)
    {
        try
        {
            await SessionAsync(client, info, controller).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        _ = Task.Run(() =>
        {
            Templates.TemplateRenderer.Forget();
            GC.Collect();
            GC.WaitForPendingFinalizers();
        });
    }

    /// <summary>Today's agent protocol on the socket; the socket is closed when it ends, so the relay (and the controller) are done at once.</summary>
    private static async Task SessionAsync(Socket client, WarmSession info, string? controller)
    {
        // the target lock names the controller's address, as a cold agent finds it in SSH_CLIENT
        System.Environment.SetEnvironmentVariable("SSH_CLIENT", controller);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await using var stream = new NetworkStream(client, ownsSocket: true);
        using var input = new StreamReader(stream, utf8);
        await using var output = new StreamWriter(stream, utf8) { AutoFlush = false };
        await AgentServer.RunAsync(input, output, CancellationToken.None, info).ConfigureAwait(false);
    }

    /// <summary>The flock on the lock file (FileShare.None is a flock on Linux), held while this agent listens.</summary>
    internal static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
