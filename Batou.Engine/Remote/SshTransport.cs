using System.Diagnostics;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// The OpenSSH client as batou uses it: the user's ssh configuration plus the repository's
/// <c>ssh_config_&lt;env&gt;</c> or <c>ssh_config</c>, one multiplexed master connection per host
/// in a private control directory, never a prompt, host keys verified.
/// </summary>
internal sealed class SshTransport : IDisposable
{
    private readonly string _controlDir;
    private readonly HashSet<string> _hosts = [];

    public SshTransport(string baseDir, string environment, bool acceptNewHostKeys, TimeSpan timeout)
    {
        Timeout = timeout;
        _controlDir = Directory.CreateTempSubdirectory("batou-ssh-").FullName;
        File.SetUnixFileMode(_controlDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new List<string>();
        var config = new[] { $"ssh_config_{environment}", "ssh_config" }.Select(f => Path.Combine(baseDir, f)).FirstOrDefault(File.Exists);
        if (config is not null) options.AddRange(["-F", config]);
        options.AddRange([
            "-o", "BatchMode=yes",
            "-o", "ControlMaster=auto",
            "-o", $"ControlPath={_controlDir}/%C",
            "-o", "ControlPersist=120",
            "-o", $"ConnectTimeout={Math.Clamp((int)timeout.TotalSeconds, 5, 30)}",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=4",
            "-o", "StrictHostKeyChecking=" + (acceptNewHostKeys ? "accept-new" : "yes"),
        ]);
        Options = options;
        ConfigFile = config;
    }

    public IReadOnlyList<string> Options { get; }
    public string? ConfigFile { get; }
    public TimeSpan Timeout { get; }

    /// <summary>The <c>-e</c> argument for rsync (a shell command line, so every word is quoted).</summary>
    public string RsyncShell => ShellQuote.Join(["ssh", .. Options]);

    /// <summary>
    /// A remote command run as <paramref name="sudoUser"/> (when set) through <c>sudo -n</c>: never a
    /// password prompt, HOME set to the user's home. The user name is validated by
    /// <see cref="RemoteSettingsCheck"/> and quoted here anyway.
    /// </summary>
    public static string AsUser(string? sudoUser, string command) =>
        sudoUser is null ? command : $"sudo -n -H -u {ShellQuote.Quote(sudoUser)} -- sh -c {ShellQuote.Quote(command)}";

    /// <summary>rsync's <c>--rsync-path</c> for a transfer as <paramref name="sudoUser"/> (a remote shell command line).</summary>
    public static string? RsyncPath(string? sudoUser) =>
        sudoUser is null ? null : $"sudo -n -H -u {ShellQuote.Quote(sudoUser)} -- rsync";

    /// <summary>Runs a command (parsed by the remote shell) and waits for it, bounded by the timeout.</summary>
    public ProcessResult Run(string host, string remoteCommand, CancellationToken token, Stream? input = null, TimeSpan? timeout = null)
    {
        Remember(host);
        return ProcessRunner.Run("ssh", [.. Options, "-T", "--", host, remoteCommand], null, null, timeout ?? Timeout, token, input: input);
    }

    /// <summary>Starts a long-running remote command with redirected stdio (the agent).</summary>
    public Process Start(string host, string remoteCommand)
    {
        Remember(host);
        var info = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Options) info.ArgumentList.Add(a);
        foreach (var a in new[] { "-T", "--", host, remoteCommand }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start ssh");
        process.StandardInput.AutoFlush = true;
        process.StandardInput.NewLine = "\n";
        return process;
    }

    private void Remember(string host)
    {
        lock (_hosts) _hosts.Add(host);
    }

    public void Dispose()
    {
        string[] hosts;
        lock (_hosts) hosts = [.. _hosts];
        foreach (var host in hosts)
            ProcessRunner.Run("ssh", [.. Options, "-O", "exit", "--", host], null, null, TimeSpan.FromSeconds(5), CancellationToken.None);
        try { Directory.Delete(_controlDir, recursive: true); } catch (IOException) { }
    }
}
