using System.Runtime.InteropServices;

namespace Batou.Lib.Native;

/// <summary>
/// The few libc calls .NET lacks: owner and group of a path (without following symlinks),
/// changing them, and looking up users and groups by name. Linux (glibc) only.
/// </summary>
internal static unsafe partial class Posix
{
    private const string Libc = "libc.so.6";
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxGidOffset = 24;
    private const int ERange = 34;
    private const uint Unchanged = uint.MaxValue;

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Libc, EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint owner, uint group);

    [LibraryImport(Libc, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetPwNamR(string name, byte* pwd, byte* buffer, nuint length, byte** result);

    [LibraryImport(Libc, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetGrNamR(string name, byte* grp, byte* buffer, nuint length, byte** result);

    /// <summary>The uid and gid of <paramref name="path"/> itself (a symlink is not followed).</summary>
    public static (uint Uid, uint Gid) OwnerOf(string path)
    {
        EnsureSupported();
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid | StatxGid, buffer) != 0)
            throw Failure("stat", path);
        return (*(uint*)(buffer + StatxUidOffset), *(uint*)(buffer + StatxGidOffset));
    }

    /// <summary>Changes the owner and/or group of <paramref name="path"/> itself; null keeps the current id.</summary>
    public static void ChangeOwner(string path, uint? uid, uint? gid)
    {
        EnsureSupported();
        if (LChown(path, uid ?? Unchanged, gid ?? Unchanged) != 0)
            throw Failure("chown", path);
    }

    /// <summary>The uid of a user name; a numeric string that is not a user name is taken as the id.</summary>
    public static uint? UserId(string nameOrId) =>
        Lookup(nameOrId, group: false) ?? (uint.TryParse(nameOrId, out var id) ? id : null);

    /// <summary>The gid of a group name; a numeric string that is not a group name is taken as the id.</summary>
    public static uint? GroupId(string nameOrId) =>
        Lookup(nameOrId, group: true) ?? (uint.TryParse(nameOrId, out var id) ? id : null);

    private static uint? Lookup(string name, bool group)
    {
        EnsureSupported();
        // struct passwd { char *pw_name, *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
        // struct group  { char *gr_name, *gr_passwd; gid_t gr_gid; ... }
        var idOffset = 2 * sizeof(nint);
        var entry = stackalloc byte[128];
        for (var length = 1024; length <= 1 << 22; length *= 4)
        {
            var buffer = (byte*)NativeMemory.Alloc((nuint)length);
            try
            {
                byte* result = null;
                var rc = group
                    ? GetGrNamR(name, entry, buffer, (nuint)length, &result)
                    : GetPwNamR(name, entry, buffer, (nuint)length, &result);
                if (rc == ERange) continue;
                if (rc != 0 || result is null) return null;
                return *(uint*)(result + idOffset);
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }
        throw new IOException($"Looking up {(group ? "group" : "user")} '{name}' needs an unreasonably large buffer");
    }

    private static void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Owner and group management is implemented for Linux only.");
    }

    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
