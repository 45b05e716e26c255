using System.Globalization;
using Batou.Engine.Api;
using Batou.Engine.Planning;
using Batou.Engine.Util;

namespace Batou.Engine.Configuration;

/// <summary>
/// Reads <c>environments/&lt;env&gt;/environment.cfg</c> with batou's semantics. Every problem is
/// collected with file and line; unknown sections are errors, unknown keys warnings.
/// </summary>
internal static class EnvironmentLoader
{
    private static readonly string[] s_environmentKeys =
    [
        "connect_method", "update_method", "host_domain", "platform", "service_user", "require_sudo", "target_directory",
        "jobs", "timeout", "cancel_grace", "branch", "repository_url", "repository_root", "require_v4", "require_v6", "accept_new_host_keys",
        "ssh_client", "ssh_user", "ssh_port", "ssh_identity", "ssh_known_hosts", "jump_host", "ssh_kex", "ssh_warm",
    ];

    private static readonly string[] s_hostKeys =
        ["components", "platform", "ignore", "service_user", "require_sudo", "ssh_client", "ssh_user", "ssh_port", "ssh_identity", "ssh_known_hosts", "jump_host", "ssh_kex", "ssh_warm"];

    public static IReadOnlyList<string> Names(string baseDir)
    {
        var dir = Path.Combine(baseDir, "environments");
        return Directory.Exists(dir)
            ? Directory.GetDirectories(dir).Where(d => File.Exists(Path.Combine(d, "environment.cfg"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public static EnvironmentConfig? Load(string baseDir, string name, List<BatouError> errors, List<BatouError> warnings)
    {
        name = name.EndsWith(".cfg", StringComparison.Ordinal) ? name[..^4] : name;
        var relative = Path.Combine("environments", name, "environment.cfg");
        var path = Path.Combine(baseDir, relative);
        if (name.Length == 0 || name.Contains('/') || name.Contains("..", StringComparison.Ordinal) || !File.Exists(path))
        {
            var known = Names(baseDir);
            errors.Add(BatouError.Create("MissingEnvironment", "Missing environment",
                ("Environment", name), ("Expected", relative), ("Available", known.Count == 0 ? "(none)" : string.Join(", ", known))));
            return null;
        }
        var doc = IniParser.Parse(File.ReadAllText(path), relative, errors);
        var reader = new Reader(relative, errors, warnings);
        var settings = reader.Settings(doc.Section("environment"));
        var resolver = reader.Resolver(doc.Section("resolver"));
        var vfs = reader.Vfs(doc.Section("vfs"), baseDir);
        var overrides = new Dictionary<string, IReadOnlyDictionary<string, OverrideValue>>(StringComparer.Ordinal);
        var overrideLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var hostSections = new List<IniSection>();
        foreach (var section in doc.Sections)
        {
            // [vault] and [vault:*] are read by the secrets step (Secrets/KeyVault/VaultConfig.cs)
            if (section.Name is "environment" or "hosts" or "resolver" or "vfs" or "vault" || section.Name.StartsWith("vault:", StringComparison.Ordinal)) continue;
            if (section.Name.StartsWith("host:", StringComparison.Ordinal)) { hostSections.Add(section); continue; }
            if (section.Name.StartsWith("component:", StringComparison.Ordinal))
            {
                var component = section.Name["component:".Length..].Trim();
                overrides[component] = section.Entries.ToDictionary(e => e.Key, e => new OverrideValue(e.Value, relative, e.Line), StringComparer.Ordinal);
                overrideLines[component] = section.Line;
                continue;
            }
            errors.Add(BatouError.Create("SuperfluousSection", "Superfluous section in environment configuration",
                    ("Section", section.Name), ("File", $"{relative}:{section.Line}"),
                    ("Allowed", "environment, hosts, host:NAME, component:NAME, resolver, vfs, vault, vault:NAME"))
                with { File = relative, Line = section.Line });
        }
        var hosts = reader.Hosts(doc.Section("hosts"), hostSections, settings);
        return new EnvironmentConfig(name, relative, settings, hosts, overrides, overrideLines, resolver) { Vfs = vfs, Document = doc };
    }

    private sealed class Reader(string file, List<BatouError> errors, List<BatouError> warnings)
    {
        public EnvironmentSettings Settings(IniSection? section)
        {
            var s = new EnvironmentSettings();
            if (section is null) return s;
            foreach (var entry in section.Entries)
            {
                var v = entry.Value;
                switch (entry.Key)
                {
                    case "connect_method":
                        if (v is "local" or "ssh") s = s with { ConnectMethod = v };
                        else Invalid(entry, "one of: local, ssh");
                        break;
                    case "update_method":
                        if (v is "rsync" or "git-bundle" or "git-pull") s = s with { UpdateMethod = v };
                        else Invalid(entry, "one of: rsync, git-bundle, git-pull");
                        break;
                    case "host_domain": s = s with { HostDomain = Empty(v) }; break;
                    case "platform": s = s with { Platform = Empty(v) }; break;
                    case "service_user": s = s with { ServiceUser = Empty(v) }; break;
                    case "require_sudo": s = s with { RequireSudo = Bool(entry) }; break;
                    case "accept_new_host_keys": s = s with { AcceptNewHostKeys = Bool(entry) ?? false }; break;
                    case "target_directory": s = s with { TargetDirectory = v }; break;
                    case "branch": s = s with { Branch = v }; break;
                    case "repository_url": s = s with { RepositoryUrl = Empty(v) }; break;
                    case "repository_root": s = s with { RepositoryRoot = Empty(v) }; break;
                    case "require_v4": s = s with { RequireV4 = v.ToLowerInvariant() }; break;
                    case "require_v6": s = s with { RequireV6 = v.ToLowerInvariant() }; break;
                    case "jobs":
                        if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var jobs) && jobs is > 0 and <= DeploymentRequest.MaxJobs) s = s with { Jobs = jobs };
                        else Invalid(entry, $"a whole number from 1 to {DeploymentRequest.MaxJobs}");
                        break;
                    case "timeout":
                        try { s = s with { Timeout = Durations.ParseTimeout(v) }; }
                        catch (FormatException) { Invalid(entry, $"a duration above 0 and at most {Durations.MaxTimeout.TotalDays:0}d, in seconds (or 30s, 5m, 1h)"); }
                        break;
                    case "cancel_grace":
                        try { s = s with { CancelGrace = Durations.ParseCancelGrace(v) }; }
                        catch (FormatException) { Invalid(entry, $"a duration from 0 to {Durations.MaxTimeout.TotalDays:0}d, in seconds (or 30s, 5m, 1h)"); }
                        break;
                    case var key when Ssh(s.Ssh, entry) is { } ssh: s = s with { Ssh = ssh }; break;
                    default:
                        warnings.Add(BatouError.Create("UnknownSetting", $"Unknown key `{entry.Key}` in [environment] is ignored",
                                ("File", $"{file}:{entry.Line}"), ("Known keys", string.Join(", ", s_environmentKeys)))
                            with { File = file, Line = entry.Line });
                        break;
                }
            }
            if (s.Platform is null && s.HostDomain is not null) s = s with { Platform = s.HostDomain };
            return s;
        }

        public IReadOnlyDictionary<string, IReadOnlyList<string>> Resolver(IniSection? section)
        {
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (section is null) return result;
            foreach (var entry in section.Entries)
            {
                var addresses = IniDocument.AsList(entry.Value);
                foreach (var address in addresses.Where(a => !IsAddress(a)))
                    errors.Add(BatouError.Create("InvalidIPAddressError", "Not a valid IP address",
                            ("Address", address), ("Host", entry.Key), ("File", $"{file}:{entry.Line}"))
                        with { File = file, Line = entry.Line, Host = entry.Key });
                result[entry.Key] = addresses;
            }
            return result;
        }

        /// <summary><c>[vfs] sandbox = Developer</c>, or <c>sandbox = Map</c> with <c>/prefix = /replacement</c> lines.</summary>
        public PathSandbox? Vfs(IniSection? section, string baseDir)
        {
            if (section is null) return null;
            var sandbox = section.Find("sandbox");
            if (sandbox is null)
            {
                errors.Add(BatouError.Create("InvalidVfs", "[vfs] needs `sandbox = Developer` or `sandbox = Map`", ("File", $"{file}:{section.Line}"))
                    with { File = file, Line = section.Line });
                return null;
            }
            if (sandbox.Value.Trim() is not (PathSandbox.Developer or PathSandbox.Map))
            {
                errors.Add(BatouError.Create("UnknownSandbox", $"Unknown VFS sandbox `{sandbox.Value.Trim()}`",
                        ("File", $"{file}:{sandbox.Line}"), ("Known", $"{PathSandbox.Developer}, {PathSandbox.Map}"))
                    with { File = file, Line = sandbox.Line });
                return null;
            }
            var prefixes = new List<(string Prefix, string Replacement)>();
            foreach (var entry in section.Entries.Where(e => e.Key != "sandbox"))
            {
                var replacement = entry.Value.Trim();
                if (sandbox.Value.Trim() != PathSandbox.Map || !entry.Key.StartsWith('/') || replacement.Length == 0)
                {
                    warnings.Add(BatouError.Create("UnknownSetting", $"`{entry.Key}` in [vfs] is ignored",
                            ("File", $"{file}:{entry.Line}"), ("Expected", "sandbox = Map and lines `/prefix = /replacement`"))
                        with { File = file, Line = entry.Line });
                    continue;
                }
                var prefix = entry.Key.Length > 1 ? entry.Key.TrimEnd('/') : entry.Key;
                prefixes.Add((Path.GetFullPath(prefix), Path.TrimEndingDirectorySeparator(Path.GetFullPath(replacement, baseDir))));
            }
            return new PathSandbox(sandbox.Value.Trim(), prefixes.OrderByDescending(p => p.Prefix.Length).ToList());
        }

        /// <summary>A literal IPv4 (dotted quad) or IPv6 address; IPAddress.TryParse alone accepts "1234".</summary>
        private static bool IsAddress(string text) =>
            System.Net.IPAddress.TryParse(text, out var ip)
            && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? text.Contains(':')
                : text.Count(c => c == '.') == 3);

        public IReadOnlyList<HostConfig> Hosts(IniSection? hostsSection, IReadOnlyList<IniSection> hostSections, EnvironmentSettings settings)
        {
            var hosts = new List<HostConfig>();
            foreach (var entry in hostsSection?.Entries ?? [])
            {
                var ignore = entry.Key.StartsWith('!');
                var name = ignore ? entry.Key[1..].Trim() : entry.Key;
                if (!CheckHostName(name, entry.Line)) continue;
                if (hosts.FirstOrDefault(h => h.Host.Name == name) is { } twice)
                {
                    errors.Add(BatouError.Create("DuplicateHostError", "Host defined more than once",
                            ("Host", name), ("First", $"{file}:{twice.Line}"), ("Again", $"{file}:{entry.Line}"))
                        with { File = file, Line = entry.Line, Host = name });
                    continue;
                }
                hosts.Add(new HostConfig(MakeHost(name, settings.Platform, new Dictionary<string, string>(), ignore, settings.ServiceUser, settings.RequireSudo, settings),
                    Assignments(entry.Value, entry.Line), file, entry.Line));
            }
            foreach (var section in hostSections)
            {
                var name = section.Name["host:".Length..].Trim();
                if (!CheckHostName(name, section.Line)) continue;
                if (hosts.FirstOrDefault(h => h.Host.Name == name) is { } existing)
                {
                    errors.Add(BatouError.Create("DuplicateHostError", "Host defined more than once",
                            ("Host", name), ("First", $"{file}:{existing.Line}"), ("Again", $"{file}:{section.Line}"))
                        with { File = file, Line = section.Line, Host = name });
                    continue;
                }
                var data = new Dictionary<string, string>(StringComparer.Ordinal);
                bool ignore = false, ownPlatform = false;
                string? platform = settings.Platform, serviceUser = settings.ServiceUser;
                bool? sudo = settings.RequireSudo;
                var ssh = new SshSettings();
                IReadOnlyList<ComponentAssignment> components = [];
                foreach (var entry in section.Entries)
                {
                    if (entry.Key.StartsWith("data-", StringComparison.Ordinal)) { data[entry.Key[5..]] = entry.Value; continue; }
                    switch (entry.Key)
                    {
                        case "components": components = Assignments(entry.Value, entry.Line); break;
                        case "platform": platform = Empty(entry.Value); ownPlatform = true; break;
                        case "ignore": ignore = Bool(entry) ?? false; break;
                        case "service_user": serviceUser = Empty(entry.Value); break;
                        case "require_sudo": sudo = Bool(entry); break;
                        case var key when Ssh(ssh, entry) is { } changed: ssh = changed; break;
                        default:
                            warnings.Add(BatouError.Create("UnknownSetting", $"Unknown key `{entry.Key}` in [host:{name}] is ignored",
                                    ("File", $"{file}:{entry.Line}"), ("Known keys", string.Join(", ", s_hostKeys) + ", data-*"))
                                with { File = file, Line = entry.Line });
                            break;
                    }
                }
                hosts.Add(new HostConfig(MakeHost(name, platform, data, ignore, serviceUser, sudo, settings, ssh), components, file, section.Line) { OwnPlatform = ownPlatform });
            }
            return hosts;
        }

        private bool CheckHostName(string name, int line)
        {
            var valid = name.Length > 0 && !name.StartsWith('-') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
            if (!valid)
                errors.Add(BatouError.Create("InvalidHostName", "Invalid host name",
                        ("Host", name), ("File", $"{file}:{line}"), ("Allowed", "letters, digits, '.', '-', '_'; not starting with '-'"))
                    with { File = file, Line = line });
            return valid;
        }

        private static Host MakeHost(string name, string? platform, Dictionary<string, string> data, bool ignore, string? serviceUser, bool? sudo, EnvironmentSettings settings, SshSettings? ssh = null) =>
            new(name, settings.HostDomain is { } domain ? $"{name}.{domain}" : name, platform, data, ignore, serviceUser, sudo) { Ssh = (ssh ?? new()).Or(settings.Ssh) };

        /// <summary>The ssh keys of <c>[environment]</c> and <c>[host:NAME]</c>: the changed settings, or null when the key is not one of them.</summary>
        private SshSettings? Ssh(SshSettings s, IniEntry entry)
        {
            var v = entry.Value.Trim();
            switch (entry.Key)
            {
                case "ssh_client":
                    if (v is "openssh" or "builtin") return s with { Client = v };
                    Invalid(entry, "one of: openssh, builtin");
                    return s;
                case "ssh_user":
                    if (Remote.RemoteSettingsCheck.IsUserName(v)) return s with { User = v };
                    Invalid(entry, "a user name: letters, digits, '_', '.', '-'; not starting with '-' or a digit");
                    return s;
                case "ssh_port":
                    if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536) return s with { Port = port };
                    Invalid(entry, "a TCP port (1-65535)");
                    return s;
                case "ssh_warm":
                    try { return s with { Warm = Durations.ParseWarm(v) }; }
                    catch (FormatException) { Invalid(entry, $"a duration from 0 (off) to {Durations.MaxWarm.TotalHours:0}h, in seconds (or 30s, 5m, 1h)"); }
                    return s;
                case "ssh_identity": return s with { Identity = Empty(v) };
                case "ssh_known_hosts": return s with { KnownHosts = Empty(v) };
                case "jump_host":
                    if (v.Length == 0) return s;
                    if (Remote.Builtin.SshEndpoint.TryParse(v, out _)) return s with { JumpHost = v };
                    Invalid(entry, "[user@]host[:port], e.g. deploy@bastion.example.com:22");
                    return s;
                case "ssh_kex":
                    if (v.Length == 0) return s;
                    if (Remote.Builtin.KexPreference.IsValid(v)) return s with { Kex = v };
                    Invalid(entry, "key exchange methods as in ssh's KexAlgorithms, e.g. curve25519-sha256 or ^curve25519-sha256");
                    return s;
                default:
                    return null;
            }
        }

        /// <summary>batou's host component list: <c>!name</c> ignores, <c>name:feature</c> adds a feature; repeats merge.</summary>
        private IReadOnlyList<ComponentAssignment> Assignments(string value, int line)
        {
            // objects, not value tuples in a framework list: that generic code would be JIT-compiled in every run
            var merged = new List<MergedAssignment>();
            foreach (var raw in IniDocument.AsList(value))
            {
                var ignore = raw.StartsWith('!');
                var item = ignore ? raw[1..] : raw;
                var parts = item.Split(':', 2);
                var name = parts[0].Trim();
                var current = merged.Find(m => m.Name == name);
                if (current is null)
                {
                    current = new MergedAssignment(name);
                    merged.Add(current);
                }
                if (parts.Length == 2)
                    (current.Features ??= []).Add(parts[1].Trim());
                current.Ignore |= ignore;
            }
            return merged.Select(m => new ComponentAssignment(m.Name, m.Features, m.Ignore, file, line)).ToList();
        }

        private sealed class MergedAssignment(string name)
        {
            public string Name { get; } = name;
            public List<string>? Features { get; set; }
            public bool Ignore { get; set; }
        }

        private bool? Bool(IniEntry entry)
        {
            switch (entry.Value.Trim().ToLowerInvariant())
            {
                case "true" or "yes" or "on" or "1": return true;
                case "false" or "no" or "off" or "0": return false;
                default:
                    Invalid(entry, "a boolean (true/false)");
                    return null;
            }
        }

        private void Invalid(IniEntry entry, string expected) =>
            errors.Add(BatouError.Create("InvalidSetting", $"Invalid value for `{entry.Key}`",
                    ("Value", entry.Value), ("Expected", expected), ("File", $"{file}:{entry.Line}"))
                with { File = file, Line = entry.Line });

        private static string? Empty(string v) => v.Length == 0 ? null : v;
    }
}
