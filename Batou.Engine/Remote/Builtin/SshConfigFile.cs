namespace Batou.Engine.Remote.Builtin;

/// <summary>
/// The few keywords of an OpenSSH client configuration the builtin client honours: <c>HostName</c>,
/// <c>Port</c>, <c>User</c>, <c>IdentityFile</c>, <c>UserKnownHostsFile</c> and <c>ProxyJump</c>
/// (one hop), in <c>Host</c> blocks with <c>*</c>/<c>?</c>/<c>!</c> patterns. The first value found
/// wins, as in ssh. <c>Match</c> blocks and <c>Include</c> are skipped.
/// </summary>
internal sealed class SshConfigFile
{
    private readonly List<(IReadOnlyList<string> Patterns, string Key, string Value)> _entries = [];

    public static SshConfigFile Read(string? path)
    {
        var config = new SshConfigFile();
        if (path is null || !File.Exists(path)) return config;
        IReadOnlyList<string>? patterns = ["*"];
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var split = line.IndexOfAny([' ', '\t', '=']);
            if (split < 0) continue;
            var key = line[..split].ToLowerInvariant();
            var value = line[(split + 1)..].Trim().TrimStart('=').Trim();
            if (key == "host") { patterns = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries); continue; }
            if (key == "match") { patterns = null; continue; }
            if (patterns is null) continue;
            if (value.Length > 1 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
            config._entries.Add((patterns, key, value));
        }
        return config;
    }

    /// <summary>The first value of <paramref name="keyword"/> for the host alias, or null.</summary>
    public string? Get(string alias, string keyword) => All(alias, keyword).FirstOrDefault();

    /// <summary>Every value of a keyword that may repeat (IdentityFile), in order.</summary>
    public IEnumerable<string> All(string alias, string keyword) =>
        _entries.Where(e => e.Key == keyword.ToLowerInvariant() && Matches(e.Patterns, alias)).Select(e => e.Value);

    private static bool Matches(IReadOnlyList<string> patterns, string alias)
    {
        var matched = false;
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith('!'))
            {
                if (Glob(pattern[1..], alias)) return false;
            }
            else if (Glob(pattern, alias)) matched = true;
        }
        return matched;
    }

    internal static bool Glob(string pattern, string text)
    {
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(text, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }
}
