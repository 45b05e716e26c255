using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>Ships the components' restored NuGet packages (assemblies and native libraries) to a host.</summary>
internal static class PackageTransfer
{
    public static void Rsync(string baseDir, string packages, IRemoteTransport ssh, string target, string repository, Host host, RemoteAccount account, CancellationToken token)
    {
        var relative = Path.GetRelativePath(baseDir, packages).Replace('\\', '/');
        if (ssh.RsyncShell(host) is not { } shell)
        {
            TreeSync.Run(ssh, host, account, new TreeSpec(packages, $"{repository}/{relative}", _ => true, Delete: true), "component packages", token);
            return;
        }
        string[] args =
        [
            "-a", "--delete", "--mkpath", "-e", shell,
            .. SshTransport.RsyncPath(account.SudoUser) is { } path ? ["--rsync-path", path] : Array.Empty<string>(),
            packages.TrimEnd('/') + "/", $"{target}:{repository}/{relative}/",
        ];
        var result = ProcessRunner.Run("rsync", args, null, null, ssh.Timeout + TimeSpan.FromMinutes(5), token);
        if (result.ExitCode != 0)
            throw new BatouException(BatouError.Create("TransferFailed", "Could not transfer the component packages to the host",
                ("Host", host.Name), ("Exit code", result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("rsync said", result.Stderr.Trim().Split('\n').FirstOrDefault() ?? "")) with { Host = host.Name });
    }
}
