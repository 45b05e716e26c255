using System.Globalization;
using System.Text.RegularExpressions;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>The warm agents a test saw (from the deployment's "warm agent …" lines) and ending them afterwards.</summary>
internal sealed partial class WarmAgents : IDisposable
{
    private readonly HashSet<int> _seen = [];

    /// <summary>The warm agent's pid and session number the deployment reported for <paramref name="host"/>; null when it ran cold.</summary>
    public (int Pid, int Session)? Of(DeploymentResult result, string host = "host1")
    {
        var line = result.Of<LogLine>().Where(l => l.Host == host).Select(l => WarmLine().Match(l.Text)).FirstOrDefault(m => m.Success);
        if (line is null) return null;
        var pid = int.Parse(line.Groups["pid"].Value, CultureInfo.InvariantCulture);
        lock (_seen) _seen.Add(pid);
        return (pid, line.Groups["session"].Success ? int.Parse(line.Groups["session"].Value, CultureInfo.InvariantCulture) : 1);
    }

    public void Remember(int pid)
    {
        lock (_seen) _seen.Add(pid);
    }

    /// <summary>The process runs (a zombie does not count: it ended).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits up to <paramref name="seconds"/> for the process to end.</summary>
    public static bool Ends(int pid, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Alive(pid) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        return !Alive(pid);
    }

    /// <summary>
    /// The socket a running warm agent listens on: <c>~/.batou/run/&lt;hash&gt;.sock</c> beside <c>~/.batou/agent/&lt;hash&gt;/batou</c>,
    /// the binary it runs (the hash being its install directory's name).
    /// </summary>
    public static string SocketOf(int pid)
    {
        var binary = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
        var install = Path.GetDirectoryName(binary)!;
        var batou = Path.GetDirectoryName(Path.GetDirectoryName(install))!;
        return Path.Combine(batou, "run", Path.GetFileName(install) + ".sock");
    }

    /// <summary>The user name the process runs as.</summary>
    public static string Owner(int pid)
    {
        var uid = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        return File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')).First(f => f[2] == uid)[0];
    }

    /// <summary>The warm agents' socket directory of a test host's user.</summary>
    public static string RunDirectory(string host) => Path.Combine(SshHosts.Home(host), ".batou", "run");

    /// <summary>Ends the warm agents this test saw, so the next test starts without one.</summary>
    public void Dispose()
    {
        int[] pids;
        lock (_seen) pids = [.. _seen];
        foreach (var pid in pids.Where(Alive))
        {
            string? socket = null;
            try { socket = SocketOf(pid); } catch (IOException) { }
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
            Ends(pid, 10);
            if (socket is not null && File.Exists(socket)) File.Delete(socket);   // killed hard, it left its socket
        }
    }

    [GeneratedRegex(@"^warm agent (started \(pid (?<pid>\d+)\)|reused \(pid (?<pid>\d+), session (?<session>\d+)\))$")]
    private static partial Regex WarmLine();
}
