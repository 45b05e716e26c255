using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>Ships the deployment repository and the compiled components to a host.</summary>
internal static class RepositoryTransfer
{
    /// <summary>
    /// rsync over the multiplexed ssh connection. Unlike batou, files deleted locally are deleted
    /// on the host too; <c>work/</c> (except the compiled components), <c>.git/</c> and the lock stay out.
    /// </summary>
    public static void Rsync(string baseDir, string assembly, SshTransport ssh, string target, string repository, Host host, CancellationToken token)
    {
        var dll = Path.GetFileName(assembly);
        var pdb = Path.ChangeExtension(dll, ".pdb");
        string[] args =
        [
            "-a", "--delete", "--checksum",
            "-e", ssh.RsyncShell,
            "--include=/work/", "--include=/work/.batou/", "--include=/work/.batou/components/",
            $"--include=/work/.batou/components/{dll}", $"--include=/work/.batou/components/{pdb}",
            "--exclude=/work/**", "--exclude=/.git/", "--exclude=/.batou-lock", "--exclude=/.test-sshd/",
            baseDir.TrimEnd('/') + "/",
            $"{target}:{repository}/",
        ];
        var result = ProcessRunner.Run("rsync", args, null, null, ssh.Timeout + TimeSpan.FromMinutes(5), token);
        if (result.ExitCode != 0)
            throw new BatouException(BatouError.Create("TransferFailed", "Could not transfer the repository to the host",
                ("Host", host.Name), ("Method", "rsync"), ("Exit code", result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("rsync said", result.Stderr.Trim().Split('\n').FirstOrDefault() ?? "")) with { Host = host.Name });
    }
}
