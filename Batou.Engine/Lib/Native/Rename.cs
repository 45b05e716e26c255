using System.Runtime.InteropServices;

namespace Batou.Lib.Native;

/// <summary>
/// rename(2) itself: replaces the destination atomically even when it is a symbolic link to a
/// directory (what switching a <c>current</c> link needs; <see cref="System.IO.File.Move(string, string, bool)"/>
/// does not promise that).
/// </summary>
internal static partial class Rename
{
    [LibraryImport("libc.so.6", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Native(string from, string to);

    public static void Atomically(string from, string to)
    {
        if (Native(from, to) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"rename {from} -> {to}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
