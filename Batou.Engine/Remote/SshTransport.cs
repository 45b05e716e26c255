using System.Diagnostics;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// The OpenSSH client as batou uses it: the user's ssh configuration plus the repository's
/// <c>ssh_config_&lt;env&gt;</c> or <c>ssh_config</c>, one multiplexed master connection per host
/// in a private control directory, never a prompt, host keys verified. A warm host's master
/// (<c>ssh_warm</c>) lives in a stable per-user directory (<see cref="Warm.WarmControlDirectory"/>)
/// with <c>ControlPersist</c> = the warm duration and is not ended with the run.
/// </summary>
internal sealed class SshTransport : IRemoteTransport
{
    private readonly string _controlDir;
    private readonly Func<Host, TimeSpan> _warm;
    private readonly bool _stopWarm;
    private readonly Dictionary<string, bool> _hosts = new(StringComparer.Ordinal);

    public SshTransport(string baseDir, string environment, bool acceptNewHostKeys, TimeSpan timeout, Func<Host, TimeSpan>? warm = null, bool stopWarm = false)
    {
        Timeout = timeout;
        _warm = warm ?? (_ => TimeSpan.Zero);
        _stopWarm = stopWarm;
        _controlDir = Directory.CreateTempSubdirectory("batou-ssh-").FullName;
        File.SetUnixFileMode(_controlDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new List<string>();
        var config = new[] { $"ssh_config_{environment}", "ssh_config" }.Select(f => Path.Combine(baseDir, f)).FirstOrDefault(File.Exists);
        if (config is not null) options.AddRange(["-F", config]);
        options.AddRange([
            "-o", "BatchMode=yes",
            "-o", "ControlMaster=auto",
            "-o", $"ConnectTimeout={Math.Clamp((int)timeout.TotalSeconds, 5, 30)}",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=4",
            "-o", "StrictHostKeyChecking=" + (acceptNewHostKeys ? "accept-new" : "yes"),
        ]);
        Options = options;
        ConfigFile = config;
    }

    public string Name => "openssh";
    public IReadOnlyList<string> Options { get; }
    public string? ConfigFile { get; }
    public TimeSpan Timeout { get; }

    /// <summary>The <c>-e</c> argument for rsync to <paramref name="host"/> (a shell command line, so every word is quoted), riding on the host's master.</summary>
    public string? RsyncShell(Host host) => ShellQuote.Join(["ssh", .. ControlFor(host), .. Options]);

    /// <summary>
    /// The master's socket and lifetime: a warm host's in the stable per-user directory, kept
    /// <c>ssh_warm</c> after its last use; otherwise in this run's own directory, ended with the run.
    /// (ssh takes the first value of an option, so these come before <see cref="Options"/>.)
    /// </summary>
    private string[] ControlFor(Host host)
    {
        var warm = _stopWarm ? TimeSpan.Zero : _warm(host);
        var stable = warm > TimeSpan.Zero ? Warm.WarmControlDirectory.Get() : null;
        lock (_hosts) _hosts[host.Fqdn] = stable is not null;
        return stable is not null
            ? ["-o", $"ControlPath={stable}/%C", "-o", $"ControlPersist={(int)warm.TotalSeconds}"]
            : ["-o", $"ControlPath={_controlDir}/%C", "-o", "ControlPersist=120"];
    }

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
    public ProcessResult Run(Host host, string remoteCommand, CancellationToken token, Stream? input = null, TimeSpan? timeout = null)
    {
        return ProcessRunner.Run("ssh", [.. ControlFor(host), .. Options, "-T", "--", host.Fqdn, remoteCommand], null, null, timeout ?? Timeout, token, input: input);
    }

    /// <summary>Starts a long-running remote command with redirected stdio (the agent).</summary>
    public IRemoteProcess Start(Host target, string remoteCommand)
    {
        var host = target.Fqdn;
        var control = ControlFor(target);
        var info = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in control) info.ArgumentList.Add(a);
        foreach (var a in Options) info.ArgumentList.Add(a);
        foreach (var a in new[] { "-T", "--", host, remoteCommand }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start ssh");
        process.StandardInput.AutoFlush = true;
        process.StandardInput.NewLine = "\n";
        return new LocalProcess(process);
    }

    /// <summary>The ssh client process whose stdio is the remote command's.</summary>
    private sealed class LocalProcess(Process process) : IRemoteProcess
    {
        public TextWriter Input => process.StandardInput;
        public TextReader Output => process.StandardOutput;
        public TextReader Error => process.StandardError;

        public bool CloseAndWait(TimeSpan timeout)
        {
            process.StandardInput.Close();
            return process.WaitForExit(timeout);
        }

        public void Kill() => process.Kill(entireProcessTree: true);

        public void Dispose() => process.Dispose();
    }

    /// <summary>Ends this run's masters; a warm host's master stays (it ends itself after <c>ssh_warm</c> idle), unless <c>--no-warm</c> asked to end it.</summary>
    public void Dispose()
    {
        KeyValuePair<string, bool>[] hosts;
        lock (_hosts) hosts = [.. _hosts];
        foreach (var (host, warm) in hosts)
        {
            if (!warm) ProcessRunner.Run("ssh", ["-o", $"ControlPath={_controlDir}/%C", .. Options, "-O", "exit", "--", host], null, null, TimeSpan.FromSeconds(5), CancellationToken.None);
            if (_stopWarm && Warm.WarmControlDirectory.Get() is { } stable)
                ProcessRunner.Run("ssh", ["-o", $"ControlPath={stable}/%C", .. Options, "-O", "exit", "--", host], null, null, TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        try { Directory.Delete(_controlDir, recursive: true); } catch (IOException) { }
    }
}
