using System.Runtime.InteropServices;

namespace Batou.Engine.Isolation;

/// <summary>The libc calls behind process groups: become a session leader, kill a whole group, move stdout aside.</summary>
internal static partial class ProcessGroup
{
    private const string Libc = "libc.so.6";
    public const int SigKill = 9;
    private const int EPerm = 1;
    private const int ESrch = 3;

    [LibraryImport(Libc, EntryPoint = "setsid", SetLastError = true)]
    private static partial int SetSid();

    [LibraryImport(Libc, EntryPoint = "getpgrp")]
    private static partial int GetPgrp();

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    private const int FDupFdCloexec = 1030;

    [LibraryImport(Libc, EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int fd, int fd2);

    /// <summary>Makes this process the leader of a new session and process group (unless it already leads one).</summary>
    public static void BecomeLeader()
    {
        if (GetPgrp() != System.Environment.ProcessId) SetSid();
    }

    /// <summary>SIGKILL to every process of group <paramref name="pgid"/>; false when not allowed (another user's group).</summary>
    public static bool KillGroup(int pgid)
    {
        if (pgid <= 1) return true;
        if (Kill(-pgid, SigKill) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == ESrch || errno != EPerm;
    }

    /// <summary>True while some process of group <paramref name="pgid"/> is alive (and may be signalled).</summary>
    public static bool Alive(int pgid) => pgid > 1 && (Kill(-pgid, 0) == 0 || Marshal.GetLastPInvokeError() == EPerm);

    /// <summary>
    /// Keeps a private copy of stdout for the protocol and points file descriptor 1 at stderr, so
    /// whatever repository code prints (Console.WriteLine, a child process) cannot corrupt it.
    /// </summary>
    public static Stream TakeStdout()
    {
        // close-on-exec: processes a component starts must not hold the protocol pipe open
        var copy = Fcntl(1, FDupFdCloexec, 3);
        if (copy < 0 || Dup2(2, 1) < 0) throw new IOException($"cannot redirect stdout (errno {Marshal.GetLastPInvokeError()})");
        return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(copy, ownsHandle: true), FileAccess.Write, 1);
    }
}
