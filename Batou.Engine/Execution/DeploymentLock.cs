using Batou.Engine.Api;

namespace Batou.Engine.Execution;

/// <summary>
/// <c>.batou-lock</c> in the repository root, held (an exclusive flock) for the whole run: a
/// second deployment of the same repository stops with a clear message instead of interfering.
/// </summary>
internal sealed class DeploymentLock : IDisposable
{
    private readonly FileStream _stream;

    private DeploymentLock(FileStream stream) => _stream = stream;

    public static DeploymentLock Acquire(string baseDir)
    {
        var path = Path.Combine(baseDir, ".batou-lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(System.Environment.ProcessId + "\n");
            stream.Write(pid);
            stream.Flush();
            return new DeploymentLock(stream);
        }
        catch (IOException)
        {
            throw new BatouException(BatouError.Create("FileLockedError", "Could not acquire lock .batou-lock",
                ("File", path),
                ("Reason", "Another instance of batou is currently deploying from this repository."),
                ("Hint", "Wait for it to finish, then run the command again.")));
        }
    }

    public void Dispose()
    {
        _stream.SetLength(0);
        _stream.Dispose();
    }
}
