using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// The account a host is deployed as: the ssh login user, or the host's <c>service_user</c>
/// reached with <c>sudo -n -u</c>. <see cref="Home"/> is that account's home directory (what
/// <c>~</c> in <c>target_directory</c> means).
/// </summary>
internal sealed record RemoteAccount(string? SudoUser, string Home)
{
    private const string Marker = "batou-sudo-ok";

    /// <summary>
    /// <c>require_sudo = false</c>: the login user (you say it is the service user); <c>true</c>:
    /// always sudo; unset: sudo only when the login user (<c>id -un</c>) is not the service user.
    /// </summary>
    public static RemoteAccount Resolve(Host host, IRemoteTransport ssh, string target, string loginHome, CancellationToken token)
    {
        if (host.ServiceUser is not { } user || host.RequireSudo == false) return new(null, loginHome);
        string? login = null;
        if (host.RequireSudo is null)
        {
            var whoami = ssh.Run(host, "id -un", token);
            login = whoami.Stdout.Trim();
            if (whoami.ExitCode == 0 && login == user) return new(null, loginHome);
        }
        var probe = ssh.Run(host, SshTransport.AsUser(user, $"echo {Marker}; cd && pwd"), token);
        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (probe.ExitCode != 0 || lines.Length < 2 || lines[0] != Marker)
        {
            login ??= ssh.Run(host, "id -un", token).Stdout.Trim();
            var said = probe.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(l => l.StartsWith("sudo:", StringComparison.Ordinal) || l.Contains("sudo", StringComparison.Ordinal))
                ?? probe.Stderr.Trim().Split('\n')[0];
            throw new BatouException(BatouError.Create("SudoRefused", $"Could not become the service user {user} with sudo on host {host.Name}",
                ("Host", host.Name), ("Service user", user), ("Login user", login.Length > 0 ? login : "(unknown)"),
                ("sudo said", said.Length > 0 ? said : $"exit code {probe.ExitCode}"),
                ("Hint", $"allow it without a password (sudoers: <login user> ALL=({user}) NOPASSWD: ALL), or set require_sudo = false when the login user is {user}"))
                with { Host = host.Name });
        }
        return new(user, lines[1]);
    }

    /// <summary>A remote command as this account.</summary>
    public string Command(string command) => SshTransport.AsUser(SudoUser, command);

    /// <summary>A path below the home directory, quoted for the remote shell.</summary>
    public string InHome(string relative) => ShellQuote.Quote(Home + "/" + relative);
}
