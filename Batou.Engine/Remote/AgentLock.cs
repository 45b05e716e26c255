using System.Runtime.InteropServices;
using Batou.Engine.Api;
using Microsoft.Win32.SafeHandles;

namespace Batou.Engine.Remote;

/// <summary>
/// The agent's exclusive lock on its target directory (<c>&lt;target&gt;/.batou-lock</c>, a flock
/// held until the agent ends): a second deployment of the same target is refused with the holder
/// (pid, controller, start time) that the lock file names. The file is opened through libc
/// because .NET's own FileStream share lock would also keep the second agent from reading it.
/// </summary>
internal sealed partial class AgentLock : IDisposable
{
    public const string FileName = ".batou-lock";

    private const string Libc = "libc.so.6";
    private const int ReadOnly = 0, ReadWrite = 2, Create = 0x40, CloseOnExec = 0x80000;
    private const int LockExclusive = 2, LockNonBlocking = 4;

    private readonly FileStream _stream;

    private AgentLock(FileStream stream) => _stream = stream;

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    /// <summary>Takes the lock or throws a <see cref="BatouException"/> naming its holder.</summary>
    public static AgentLock Acquire(string targetDirectory, string? controller)
    {
        Directory.CreateDirectory(targetDirectory);
        var path = Path.Combine(targetDirectory, FileName);
        var handle = OpenHandle(path, ReadWrite | Create | CloseOnExec);
        if (Flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) != 0)
        {
            handle.Dispose();
            throw Held(path);
        }
        var stream = new FileStream(handle, FileAccess.ReadWrite);
        stream.SetLength(0);
        var sshClient = System.Environment.GetEnvironmentVariable("SSH_CLIENT")?.Split(' ')[0];
        var holder = $"pid {System.Environment.ProcessId}\n"
                     + $"controller {controller ?? "unknown"}{(sshClient is null ? "" : $" (from {sshClient})")}\n"
                     + $"started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z\n";
        stream.Write(System.Text.Encoding.UTF8.GetBytes(holder));
        stream.Flush();
        return new AgentLock(stream);
    }

    private static SafeFileHandle OpenHandle(string path, int flags)
    {
        var fd = Open(path, flags, Convert.ToInt32("644", 8));
        if (fd < 0)
            throw new BatouException(BatouError.Create("LockFailed", "Could not open the target's lock file",
                ("File", path), ("Problem", Marshal.GetLastPInvokeErrorMessage())));
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static BatouException Held(string path)
    {
        var holder = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var stream = new FileStream(OpenHandle(path, ReadOnly | CloseOnExec), FileAccess.Read);
            using var reader = new StreamReader(stream);
            foreach (var line in reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (line.Split(' ', 2) is [var key, var value]) holder[key] = value.Trim();
        }
        catch (BatouException) { }
        catch (IOException) { }
        return new BatouException(BatouError.Create("TargetLocked", "Another deployment is running on this target",
            ("Target", Path.GetDirectoryName(path)!),
            ("Held by", $"agent pid {holder.GetValueOrDefault("pid", "?")}"),
            ("Controller", holder.GetValueOrDefault("controller", "unknown")),
            ("Since", holder.GetValueOrDefault("started", "unknown")),
            ("Hint", "Wait for it to finish (or end it), then run the deployment again.")));
    }

    public void Dispose()
    {
        _stream.SetLength(0);
        _stream.Dispose();   // closing the descriptor releases the flock
    }
}
