using Batou.Engine.Api;
using Batou.Engine.Planning;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>Ships the deployment repository and the compiled components to a host, as the host's deploying account.</summary>
internal static class RepositoryTransfer
{
    /// <summary>
    /// Transfers with the environment's <c>update_method</c> into <paramref name="repository"/> (the
    /// target directory) and returns the deployment directory on the host: the target directory
    /// itself for rsync, the same sub-directory of the checkout as locally for the git methods.
    /// </summary>
    public static string Transfer(ComponentModel model, IRemoteTransport ssh, string target, string repository, Host host, RemoteAccount account, CancellationToken token)
    {
        var environment = model.Environment;
        var settings = environment.Settings;
        var assembly = model.ComponentAssembly ?? throw new InvalidOperationException("components were not compiled");
        if (settings.UpdateMethod is not ("git-bundle" or "git-pull"))
        {
            Rsync(environment.BaseDir, assembly, ssh, target, repository, host, account, token);
            return repository;
        }

        var git = LocalGit.Find(environment.BaseDir, token) ?? throw new BatouException(BatouError.Create("NotAGitRepository",
            $"update_method = {settings.UpdateMethod} needs the deployment repository to be a git repository", ("Repository", environment.BaseDir), ("Host", host.Name)) with { Host = host.Name });
        var deployment = git.Prefix.Length == 0 ? repository : repository + "/" + git.Prefix.TrimEnd('/');
        if (deployment.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new BatouException(BatouError.Create("InvalidSetting", "The deployment's sub-directory in the git repository must not contain white space",
                ("Sub-directory", git.Prefix), ("Host", host.Name)) with { Host = host.Name });
        var transfer = new GitTransfer(git, ssh, host, account, settings.Branch, token);
        if (settings.UpdateMethod == "git-bundle")
            transfer.Bundle(repository);
        else
            transfer.Pull(repository, git.PullUrl(settings.RepositoryUrl) ?? throw new BatouException(BatouError.Create("NoRepositoryUrl",
                "update_method = git-pull needs a URL the hosts can fetch from", ("Host", host.Name)) with { Host = host.Name }));
        ShipComponents(assembly, ssh, target, deployment, host, account, token);
        ShipBuilds(environment.BaseDir, ssh, target, deployment, host, account, token);
        return deployment;
    }

    /// <summary>What the controller built for components (<see cref="ControllerBuilds"/>): travels with the repository, old builds deleted.</summary>
    private const string Builds = ControllerBuilds.Folder;

    private static bool IsBuild(string path) =>
        (Builds + "/").StartsWith(path, StringComparison.Ordinal) || path.StartsWith(Builds + "/", StringComparison.Ordinal);

    /// <summary>For the git methods (git carries no <c>work/</c>): the controller's builds beside the checkout.</summary>
    private static void ShipBuilds(string baseDir, IRemoteTransport ssh, string target, string deployment, Host host, RemoteAccount account, CancellationToken token)
    {
        var local = Path.Combine(baseDir, Builds);
        if (!Directory.Exists(local)) return;
        var remoteDir = deployment + "/" + Builds;
        var mkdir = ssh.Run(host, account.Command($"mkdir -p {ShellQuote.Quote(remoteDir)}"), token);
        if (mkdir.ExitCode != 0)
            throw new BatouException(BatouError.Create("TransferFailed", "Could not create the build directory on the host",
                ("Host", host.Name), ("Directory", remoteDir), ("ssh said", mkdir.Stderr.Trim())) with { Host = host.Name });
        if (ssh.RsyncShell(host) is not { } shell)
        {
            TreeSync.Run(ssh, host, account, new TreeSpec(local, remoteDir, _ => true, Delete: true), "controller builds", token);
            return;
        }
        RunRsync(["-a", "--delete", "--checksum", "-e", shell, .. RsyncPath(account.SudoUser), local + "/", $"{target}:{remoteDir}/"], ssh, host, "rsync (builds)", token);
    }

    /// <summary>
    /// rsync over the multiplexed ssh connection. Unlike batou, files deleted locally are deleted
    /// on the host too; <c>work/</c> (except the compiled components), <c>.git/</c> and the lock stay out.
    /// </summary>
    public static void Rsync(string baseDir, string assembly, IRemoteTransport ssh, string target, string repository, Host host, RemoteAccount account, CancellationToken token)
    {
        var dll = Path.GetFileName(assembly);
        var pdb = Path.ChangeExtension(dll, ".pdb");
        if (ssh.RsyncShell(host) is not { } shell)
        {
            const string components = "work/.batou/components/";
            TreeSync.Run(ssh, host, account, new TreeSpec(baseDir, repository, Selection(assembly), Delete: true)
            {
                RemotePrune = ["./.git", "./work", "./.batou-lock", "./.test-sshd"],
                RemoteRoots = [".", $"./{components}{dll}", $"./{components}{pdb}", $"./{Builds}"],
            }, "repository", token);
            return;
        }
        string[] args =
        [
            "-a", "--delete", "--checksum",
            "-e", shell,
            .. RsyncPath(account.SudoUser),
            "--include=/work/", "--include=/work/.batou/", "--include=/work/.batou/components/",
            $"--include=/work/.batou/components/{dll}", $"--include=/work/.batou/components/{pdb}",
            $"--include=/{Builds}/***",
            "--exclude=/work/**", "--exclude=/.git/", "--exclude=/.batou-lock", "--exclude=/.test-sshd/",
            baseDir.TrimEnd('/') + "/",
            $"{target}:{repository}/",
        ];
        RunRsync(args, ssh, host, "rsync", token);
    }

    /// <summary>
    /// What <c>update_method = rsync</c> sends, as a filter on relative paths ('/' separated,
    /// directories with a trailing '/'): the same selection as the rsync filters in <see cref="Rsync"/>.
    /// </summary>
    public static Func<string, bool> Selection(string assembly)
    {
        const string components = "work/.batou/components/";
        var dll = components + Path.GetFileName(assembly);
        var pdb = components + Path.GetFileName(Path.ChangeExtension(assembly, ".pdb"));
        return path => path is not (".git/" or ".batou-lock" or ".test-sshd/")
            && (!path.StartsWith("work/", StringComparison.Ordinal) || components.StartsWith(path, StringComparison.Ordinal) || path == dll || path == pdb
                || IsBuild(path));
    }

    /// <summary>The compiled components (not in git) into the checkout's <c>work/.batou/components/</c>.</summary>
    private static void ShipComponents(string assembly, IRemoteTransport ssh, string target, string deployment, Host host, RemoteAccount account, CancellationToken token)
    {
        var remoteDir = deployment + "/work/.batou/components";
        var mkdir = ssh.Run(host, account.Command($"mkdir -p {ShellQuote.Quote(remoteDir)}"), token);
        if (mkdir.ExitCode != 0)
            throw new BatouException(BatouError.Create("TransferFailed", "Could not create the components directory on the host",
                ("Host", host.Name), ("Directory", remoteDir), ("ssh said", mkdir.Stderr.Trim())) with { Host = host.Name });
        var pdb = Path.ChangeExtension(assembly, ".pdb");
        if (ssh.RsyncShell(host) is not { } shell)
        {
            string[] names = [Path.GetFileName(assembly), Path.GetFileName(pdb)];
            TreeSync.Run(ssh, host, account, new TreeSpec(Path.GetDirectoryName(assembly)!, remoteDir, names.Contains, Delete: false)
                { RemoteRoots = [.. names.Select(n => "./" + n)] }, "compiled components", token);
            return;
        }
        string[] args =
        [
            "-a", "--checksum", "-e", shell, .. RsyncPath(account.SudoUser),
            assembly, .. File.Exists(pdb) ? [pdb] : Array.Empty<string>(),
            $"{target}:{remoteDir}/",
        ];
        RunRsync(args, ssh, host, "rsync (components)", token);
    }

    private static string[] RsyncPath(string? sudoUser) =>
        SshTransport.RsyncPath(sudoUser) is { } path ? ["--rsync-path", path] : [];

    private static void RunRsync(string[] args, IRemoteTransport ssh, Host host, string method, CancellationToken token)
    {
        var result = ProcessRunner.Run("rsync", args, null, null, ssh.Timeout + TimeSpan.FromMinutes(5), token);
        if (result.ExitCode != 0)
            throw new BatouException(BatouError.Create("TransferFailed", "Could not transfer the repository to the host",
                ("Host", host.Name), ("Method", method), ("Exit code", result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("rsync said", result.Stderr.Trim().Split('\n').FirstOrDefault() ?? "")) with { Host = host.Name });
    }
}
