using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Batou.Engine.Remote.Warm;

/// <summary>
/// The one line each side says on a warm agent's socket before today's agent protocol starts. The relay:
/// <c>session &lt;idle seconds&gt; &lt;controller address&gt;</c> (or <c>exit</c>); the warm agent:
/// <c>ready &lt;pid&gt; &lt;session number&gt;</c>, or <c>busy</c> while another session runs (the relay
/// then runs a cold agent itself, which meets the target lock as before).
/// </summary>
internal static class WarmHandshake
{
    public const string Exit = "exit";
    public const string Busy = "busy";

    public static string Session(TimeSpan idle, string? controllerAddress) =>
        string.Create(CultureInfo.InvariantCulture, $"session {(long)idle.TotalSeconds} {(controllerAddress is { Length: > 0 } a ? a : "-")}");

    public static string Ready(int pid, int session) => string.Create(CultureInfo.InvariantCulture, $"ready {pid} {session}");

    public static void Send(Socket socket, string line) => socket.Send(Encoding.ASCII.GetBytes(line + "\n"));

    /// <summary>One line, read byte by byte so that nothing after it is taken from the socket; null at the end or after 10 s.</summary>
    public static string? Receive(Socket socket)
    {
        socket.ReceiveTimeout = 10_000;
        var line = new StringBuilder();
        var one = new byte[1];
        try
        {
            while (line.Length < 200)
            {
                if (socket.Receive(one) == 0) return null;
                if (one[0] == (byte)'\n') return line.ToString();
                line.Append((char)one[0]);
            }
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
        finally
        {
            socket.ReceiveTimeout = 0;
        }
    }

    /// <summary>A <c>session</c> line's idle time and controller address.</summary>
    public static bool TryParseSession(string line, out TimeSpan idle, out string? controllerAddress)
    {
        idle = TimeSpan.Zero;
        controllerAddress = null;
        var parts = line.Split(' ');
        if (parts is not ["session", var seconds, var address] || !long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s)) return false;
        idle = TimeSpan.FromSeconds(Math.Clamp(s, 1, (long)Util.Durations.MaxWarm.TotalSeconds));
        controllerAddress = address == "-" ? null : address;
        return true;
    }
}
