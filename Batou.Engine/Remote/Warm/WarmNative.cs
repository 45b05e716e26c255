using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Batou.Engine.Remote.Warm;

/// <summary>The few libc calls the warm agent needs: its own session, its user id, and the peer's user id on a unix socket.</summary>
internal static partial class WarmNative
{
    private const string Libc = "libc.so.6";
    private const int SolSocket = 1, SoPeerCred = 17;

    [LibraryImport(Libc, EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    /// <summary>The user id of the process at the other end of a unix socket (<c>SO_PEERCRED</c>); null when the kernel does not say.</summary>
    public static uint? PeerUid(Socket socket)
    {
        var credentials = new byte[12];   // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        try
        {
            return socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) == 12 ? BitConverter.ToUInt32(credentials, 4) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
