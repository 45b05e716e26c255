using System.Text;
using System.Text.RegularExpressions;
using Batou.Web.Infrastructure;

namespace Batou.Web.Git;

/// <summary>
/// How libgit2 reaches an ssh remote: it runs the system <c>ssh</c> named by the repository's <c>core.sshCommand</c>,
/// as a single executable (no shell, no arguments). So each ssh repository gets a small wrapper script in the data
/// folder (mode 0700) that never prompts, always verifies host keys and, when configured, uses the repository's key
/// and known_hosts file. Keys stay where they are: the script only names their paths.
/// </summary>
internal static partial class SshCommand
{
    public static bool IsSsh(string url) =>
        url.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("git+ssh://", StringComparison.OrdinalIgnoreCase)
        || (!url.Contains("://", StringComparison.Ordinal) && ScpLike().IsMatch(url));

    /// <returns>the wrapper's path, or null for a URL that is not ssh</returns>
    public static string? For(string name, string url, RepositoryOption? settings, string dataPath)
    {
        if (!IsSsh(url)) return null;
        var args = new List<string> { "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=20" };
        if (settings?.SshKey is { Length: > 0 } key) args.AddRange(["-i", Path.GetFullPath(key), "-o", "IdentitiesOnly=yes"]);
        if (settings?.KnownHosts is { Length: > 0 } known) args.AddRange(["-o", "UserKnownHostsFile=" + Path.GetFullPath(known)]);
        var script = new StringBuilder("#!/bin/sh\n# written by the batou dashboard for the repository " + name + "\nexec ssh");
        foreach (var a in args) script.Append(' ').Append(Quote(a));
        script.Append(" \"$@\"\n");
        var dir = Path.Combine(dataPath, "ssh");
        System.IO.Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".sh");
        var text = script.ToString();
        if (!System.IO.File.Exists(path) || System.IO.File.ReadAllText(path) != text)
        {
            var tmp = path + ".tmp";
            System.IO.File.WriteAllText(tmp, text);
            if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            System.IO.File.Move(tmp, path, overwrite: true);
        }
        return path;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[\w.-]+@[\w.-]+:")]
    private static partial Regex ScpLike();
}
