using System.Text.RegularExpressions;
using Batou.Engine.Api;
using Renci.SshNet;

namespace Batou.Engine.Remote.Builtin;

/// <summary>
/// Which key exchange methods the builtin client offers, in what order: <c>ssh_kex</c> or the
/// repository ssh_config's <c>KexAlgorithms</c>, read as ssh reads it — a list replaces the
/// client's own, <c>^list</c> puts those first, <c>-list</c> removes them (patterns with <c>*</c> and
/// <c>?</c>), <c>+list</c> keeps the order (everything SSH.NET knows is already offered).
/// Unset, SSH.NET's order stands (post-quantum hybrids first).
/// </summary>
internal static partial class KexPreference
{
    /// <summary>Whether <paramref name="spec"/> is a comma-separated list of algorithm names or patterns, with an optional prefix.</summary>
    public static bool IsValid(string spec) =>
        spec.Length > 0 && Body(spec).Split(',').All(n => NamePattern().IsMatch(n.Trim()));

    public static void Apply(ConnectionInfo info, string? spec, string host)
    {
        if (spec is null) return;
        var offered = info.KeyExchangeAlgorithms.ToList();
        var names = Body(spec).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        List<KeyValuePair<string, Func<Renci.SshNet.Security.IKeyExchange>>> chosen = spec[0] switch
        {
            '-' => offered.Where(a => !names.Any(n => Matches(n, a.Key))).ToList(),
            '^' => [.. names.SelectMany(n => offered.Where(a => Matches(n, a.Key))).Distinct(), .. offered],
            '+' => offered,
            _ => names.SelectMany(n => offered.Where(a => Matches(n, a.Key))).ToList(),
        };
        chosen = chosen.DistinctBy(a => a.Key).ToList();
        if (chosen.Count == 0)
            throw new BatouException(BatouError.Create("ConnectError", "No key exchange method left to offer",
                ("Host", host), ("ssh_kex / KexAlgorithms", spec), ("The builtin client knows", string.Join(", ", offered.Select(a => a.Key)))) with { Host = host });
        info.KeyExchangeAlgorithms.Clear();
        foreach (var (name, factory) in chosen) info.KeyExchangeAlgorithms.Add(name, factory);
    }

    private static string Body(string spec) => spec[0] is '-' or '^' or '+' ? spec[1..] : spec;

    private static bool Matches(string pattern, string name) =>
        pattern == name || (pattern.AsSpan().IndexOfAny('*', '?') >= 0
            && Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.None, TimeSpan.FromSeconds(1)));

    [GeneratedRegex("^[A-Za-z0-9@.*?_-]+$")]
    private static partial Regex NamePattern();
}
