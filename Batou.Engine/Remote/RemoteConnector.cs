using Batou.Engine.Api;
using Batou.Engine.Planning;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// Brings one host up for deployment over ssh: reachable (with retries), the agent present
/// (uploaded once per content hash), the repository and compiled components transferred, the
/// agent started and the model configured on the host.
/// </summary>
internal sealed class RemoteConnector(ComponentModel model, IRemoteTransport ssh, AgentBinary agent, TransferFingerprint fingerprint, Task<bool> configured, CancellationToken token, SshOptions? options = null)
{
    private const int Attempts = 3;

    /// <summary>
    /// Connects one host. <paramref name="host"/>'s repository is transferred only when the target
    /// does not already hold exactly what would be sent (<see cref="TransferFingerprint"/>,
    /// <see cref="TransferState"/>), and only after <c>configured</c> (the controller's own configure
    /// step, which runs meanwhile) succeeded: a model that fails to configure changes nothing on a host.
    /// </summary>
    public async Task<(AgentClient? Client, IReadOnlyList<BatouError> Errors, IReadOnlyList<BatouError> Warnings)> ConnectAsync(Host host, string? platform)
    {
        var target = host.Fqdn;
        var agentPath = $".batou/agent/{agent.Hash}/batou";
        var agentArgs = AgentArguments(host);
        // builtin, no sudo: the agent is started at once on the same connection (an exec channel), so
        // its start-up on the host overlaps the probe; it is dropped when the probe finds no agent
        var early = ssh.Name == Transports.Builtin && (host.ServiceUser is null || host.RequireSudo == false)
            ? Task.Run(() => ssh.Start(host, $"test -x {agentPath} && exec {agentPath} {agentArgs}"), token)
            : null;
        string home, targetDirectory;
        RemoteAccount account;
        try
        {
            var (loginHome, agentPresent) = ConnectProfile.Measure(host.Name, "probe", () => Probe(host, target, agentPath));
            account = RemoteAccount.Resolve(host, ssh, target, loginHome, token);
            home = account.Home;
            // the probe looked in the login user's home; a service user's agent is checked as that user
            if (!(agentPresent && account.SudoUser is null))
            {
                Discard(ref early);
                ConnectProfile.Measure(host.Name, "agent-install", () => { EnsureAgent(host, target, agentPath, account); return 0; });
            }
            targetDirectory = RemotePath(home, model.Environment.Settings.TargetDirectory, host);
        }
        catch
        {
            Discard(ref early);
            throw;
        }
        var deployment = fingerprint.DeploymentIn(targetDirectory);
        var assembly = model.ComponentAssembly ?? throw new InvalidOperationException("components were not compiled");

        // the agent starts (a fraction of a second of work on the host) while the controller finishes
        // hashing what it would send; it reads the repository only when the setup request arrives,
        // after any transfer
        var process = early is null ? ssh.Start(host, account.Command($"exec {ShellQuote.Quote(home + "/" + agentPath)} {agentArgs}")) : await early.ConfigureAwait(false);
        var client = new AgentClient(process, host.Name);
        string repository;
        TransferCheck? record = null;
        try
        {
            var hash = await fingerprint.HashAsync().ConfigureAwait(false);
            var check = hash is null ? null : fingerprint.CheckFor(hash, targetDirectory, deployment);
            // one deployment per target: the lock is taken before anything travels into it; holding
            // it, the agent tells whether the target still holds exactly what this transfer would send
            var locked = await ConnectProfile.MeasureAsync(host.Name, "agent-lock", () => client.LockAsync(
                new LockRequest(targetDirectory, $"{System.Environment.UserName}@{System.Environment.MachineName}", check),
                model.Environment.Settings.Timeout, token)).ConfigureAwait(false);
            client.Warm = locked.Warm;
            if (locked.Error is { } held)
                throw new BatouException(held with { Host = host.Name, Details = [new ErrorDetail("Host", host.Name), .. held.Details] });
            if (locked.Current && TransferFingerprint.SkipEnabled)
            {
                repository = deployment;
            }
            else
            {
                if (!await configured.ConfigureAwait(false)) throw new OperationCanceledException("the model did not configure");
                repository = ConnectProfile.Measure(host.Name, "transfer", () =>
                {
                    var transferred = RepositoryTransfer.Transfer(model, ssh, target, targetDirectory, host, account, token);
                    if (model.PackagesDirectory is { } packages)
                        PackageTransfer.Rsync(model.Environment.BaseDir, packages, ssh, target, transferred, host, account, token);
                    return transferred;
                });
                record = check;
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var configuredOnHost = await ConnectProfile.MeasureAsync(host.Name, "agent-setup", () => client.SetupAsync(new SetupRequest(repository, model.Environment.Name, host.Name,
                Path.GetRelativePath(model.Environment.BaseDir, assembly), platform, model.Environment.Settings.Timeout.TotalSeconds,
                model.PackagesDirectory is null ? null : Path.GetRelativePath(model.Environment.BaseDir, model.PackagesDirectory),
                SecretPayload.From(model.Secrets), record),
            model.Environment.Settings.Timeout + TimeSpan.FromSeconds(30), token)).ConfigureAwait(false);
        var errors = configuredOnHost.Errors.Select(e => e with { Host = e.Host ?? host.Name }).ToList();
        if (errors.Count > 0)
        {
            client.Dispose();
            return (null, errors, configuredOnHost.Warnings);
        }
        return (client, [], configuredOnHost.Warnings);
    }

    /// <summary>
    /// <c>agent</c>, in warm mode <c>agent --warm &lt;seconds&gt;</c> (the session goes to the host's warm agent,
    /// see <see cref="Warm.WarmRelay"/>), with <c>--no-warm</c> <c>agent --no-warm</c> (warm agents are asked to end).
    /// </summary>
    private string AgentArguments(Host host)
    {
        if (options?.StopWarm == true) return "agent --no-warm";
        var warm = Transports.WarmFor(host, options);
        return warm > TimeSpan.Zero
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"agent --warm {(long)Math.Ceiling(warm.TotalSeconds)}")
            : "agent";
    }

    /// <summary>Ends an agent started ahead of the probe that is not wanted after all.</summary>
    private static void Discard(ref Task<IRemoteProcess>? early)
    {
        early?.ContinueWith(t =>
        {
            if (!t.IsCompletedSuccessfully) { _ = t.Exception; return; }
            try { t.Result.Kill(); } catch (InvalidOperationException) { } catch (IOException) { }
            t.Result.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        early = null;
    }

    /// <summary>
    /// Connects (retrying with back-off when ssh itself fails) and learns in one round trip the
    /// remote home directory, the platform and whether this agent is already installed there.
    /// </summary>
    private (string Home, bool AgentPresent) Probe(Host host, string target, string agentPath)
    {
        ProcessResult? result = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            result = ssh.Run(host, $"echo \"$HOME\"; uname -sm; if test -x {agentPath}; then echo agent-present; fi", token);
            if (result.ExitCode == 0) break;
            if (result.ExitCode != 255 || IsPermanent(result.Stderr)) break;
            Thread.Sleep(TimeSpan.FromMilliseconds(250 * attempt * attempt));
        }
        if (result!.ExitCode != 0)
            throw new BatouException(BatouError.Create("ConnectError", "Could not connect to host",
                ("Host", host.Name), ("Address", target), ("Attempts", IsPermanent(result.Stderr) ? "1" : Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("ssh said", FirstLine(result.Stderr, result.TimedOut ? "timed out" : $"exit code {result.ExitCode}"))) with { Host = host.Name, SortKey = 0 });
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2 || lines[1] != "Linux x86_64")
            throw new BatouException(BatouError.Create("UnsupportedPlatform", "The agent runs on Linux x86_64 only",
                ("Host", host.Name), ("Found", lines.ElementAtOrDefault(1) ?? "(nothing)")) with { Host = host.Name });
        return (lines[0], lines.Contains("agent-present"));
    }

    private static bool IsPermanent(string stderr) =>
        stderr.Contains("Host key verification failed", StringComparison.Ordinal)
        || stderr.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal)
        || stderr.Contains("Permission denied", StringComparison.Ordinal)
        || stderr.Contains("Could not resolve hostname", StringComparison.Ordinal);

    /// <summary>The agent lives in the deploying account's home (the service user's with sudo), so that account can always run it.</summary>
    private void EnsureAgent(Host host, string target, string agentPath, RemoteAccount account)
    {
        var check = ssh.Run(host, account.Command($"cd && test -x {agentPath} && echo present"), token);
        if (check.Stdout.Contains("present", StringComparison.Ordinal)) return;
        using var binary = File.OpenRead(agent.Path);
        var upload = ssh.Run(host, account.Command(InstallCommand(agentPath)), token, binary, TimeSpan.FromMinutes(10));
        if (upload.ExitCode != 0)
            throw new BatouException(BatouError.Create("AgentUploadFailed", "Could not install the agent on the host",
                ("Host", host.Name), ("ssh said", FirstLine(upload.Stderr, $"exit code {upload.ExitCode}"))) with { Host = host.Name });
    }

    /// <summary>
    /// The remote command that installs the agent read from stdin at <paramref name="agentPath"/> (relative to the
    /// home). Each upload writes a temporary file of its own and renames it into place: two controllers that deploy
    /// to one account at the same moment both install the same complete binary, where one shared temporary file made
    /// the second fail (its file renamed away under it) or run a file still being written.
    /// </summary>
    internal static string InstallCommand(string agentPath)
    {
        var temporary = $"{agentPath}.tmp-{Guid.NewGuid():N}";
        return $"cd && mkdir -p {Path.GetDirectoryName(agentPath)} && {{ cat > {temporary} && chmod 755 {temporary} && mv -f {temporary} {agentPath} || {{ rm -f {temporary}; exit 1; }}; }}";
    }

    private static string RemotePath(string home, string targetDirectory, Host host)
    {
        var path = targetDirectory == "~" ? home : targetDirectory.StartsWith("~/", StringComparison.Ordinal) ? home + targetDirectory[1..] : targetDirectory;
        if (!path.StartsWith('/') || path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`' or ';' or '&' or '|' or '*' or '?'))
            throw new BatouException(BatouError.Create("InvalidSetting", "target_directory must be an absolute path (or start with ~/) without spaces or shell characters",
                ("Value", targetDirectory), ("Host", host.Name)) with { Host = host.Name });
        return path.TrimEnd('/');
    }

    /// <summary>The line of ssh's complaint that says what happened (not its banners and warnings).</summary>
    private static string FirstLine(string text, string fallback)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Warning:", StringComparison.Ordinal) && l.Any(char.IsLetter)).ToList();
        return lines.FirstOrDefault(l => l.Contains("Host key verification failed", StringComparison.Ordinal))
            is { } keyFailure ? string.Join(" ", lines.Where(l => l.Contains("IDENTIFICATION HAS CHANGED", StringComparison.Ordinal)).Append(keyFailure))
            : lines.FirstOrDefault() ?? fallback;
    }
}
