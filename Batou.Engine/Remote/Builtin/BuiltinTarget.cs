namespace Batou.Engine.Remote.Builtin;

/// <summary>Where and as whom the builtin client connects for one host (or jump host).</summary>
internal sealed record BuiltinTarget(string Alias, string Address, int Port, string User, IReadOnlyList<string> Identities, bool IdentitiesExplicit,
    IReadOnlyList<string> KnownHostsFiles, SshEndpoint? Jump, string? Kex = null)
{
    public string Endpoint => Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    /// <summary>
    /// batou's settings first (<c>ssh_user</c>, <c>ssh_port</c>, <c>ssh_identity</c>,
    /// <c>ssh_known_hosts</c>, <c>jump_host</c>, <c>ssh_kex</c>), then the repository's ssh_config for the host
    /// name, then ssh's defaults (login name, 22, ~/.ssh/id_*, ~/.ssh/known_hosts).
    /// </summary>
    public static BuiltinTarget Resolve(string alias, SshSettings settings, SshConfigFile config, string baseDir)
    {
        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var address = config.Get(alias, "hostname")?.Replace("%h", alias, StringComparison.Ordinal) ?? alias;
        var port = settings.Port ?? (int.TryParse(config.Get(alias, "port"), out var p) ? p : 22);
        var user = settings.User ?? config.Get(alias, "user") ?? System.Environment.UserName;
        string Path(string path) => Expand(path, home, alias, user, baseDir);

        var identities = settings.Identity is { } identity ? Words(identity).Select(Path).ToList() : config.All(alias, "identityfile").Select(Path).ToList();
        var explicitIdentities = identities.Count > 0;
        if (!explicitIdentities)
            identities = new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(n => System.IO.Path.Combine(home, ".ssh", n)).ToList();
        var knownHosts = settings.KnownHosts is { } files ? Words(files).Select(Path).ToList()
            : config.Get(alias, "userknownhostsfile") is { } configured ? Words(configured).Select(Path).ToList()
            : [System.IO.Path.Combine(home, ".ssh", "known_hosts"), System.IO.Path.Combine(home, ".ssh", "known_hosts2")];
        knownHosts.Add("/etc/ssh/ssh_known_hosts");
        SshEndpoint? jump = null;
        var jumpText = settings.JumpHost ?? config.Get(alias, "proxyjump");
        if (jumpText is { } text && !text.Equals("none", StringComparison.OrdinalIgnoreCase) && SshEndpoint.TryParse(text.Split(',')[0], out var endpoint))
            jump = endpoint;
        return new BuiltinTarget(alias, address, port, user, identities, explicitIdentities, knownHosts, jump,
            settings.Kex ?? config.Get(alias, "kexalgorithms"));
    }

    private static IEnumerable<string> Words(string text) => text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>~ and ssh's %d %u %h %r %% tokens; relative paths are relative to the repository.</summary>
    private static string Expand(string path, string home, string alias, string user, string baseDir)
    {
        var expanded = path.Replace("%%", "\0", StringComparison.Ordinal).Replace("%d", home, StringComparison.Ordinal)
            .Replace("%u", System.Environment.UserName, StringComparison.Ordinal).Replace("%h", alias, StringComparison.Ordinal)
            .Replace("%r", user, StringComparison.Ordinal).Replace("\0", "%", StringComparison.Ordinal);
        if (expanded == "~" || expanded.StartsWith("~/", StringComparison.Ordinal)) expanded = home + expanded[1..];
        return System.IO.Path.GetFullPath(expanded, baseDir);
    }
}
