using System.Text.RegularExpressions;

namespace Batou.Engine.Remote.Warm;

/// <summary>
/// Where a warm agent listens on the target: <c>~/.batou/run/&lt;agent hash&gt;.sock</c> in the deploying
/// account's home, the directory 0700 (set back to 0700 every time), the socket 0600, and a lock file
/// (<c>&lt;hash&gt;.lock</c>, flocked by the listening agent) so that only one agent per hash listens.
/// </summary>
internal sealed partial record WarmPaths(string Directory, string Hash)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Socket => Path.Combine(Directory, Hash + ".sock");
    public string LockFile => Path.Combine(Directory, Hash + ".lock");

    /// <summary>This agent's paths; the hash is the name of the directory the controller installed it in (<c>~/.batou/agent/&lt;hash&gt;/batou</c>), else its content's.</summary>
    public static WarmPaths ForThisAgent()
    {
        var self = System.Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var folder = Path.GetFileName(Path.GetDirectoryName(self)) ?? "";
        var hash = HashName().IsMatch(folder) ? folder : AgentBinary.HashOf(self);
        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var dir = Path.Combine(home, ".batou", "run");
        System.IO.Directory.CreateDirectory(dir);
        if (File.GetUnixFileMode(dir) != Private) File.SetUnixFileMode(dir, Private);
        return new WarmPaths(dir, hash);
    }

    /// <summary>The sockets of warm agents of other agent binaries (an older or newer build).</summary>
    public IEnumerable<string> OtherSockets() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.sock").Where(s => !string.Equals(s, Socket, StringComparison.Ordinal));

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HashName();
}
