using System.Text.RegularExpressions;

namespace Batou.Web.Governance.Tokens;

/// <summary>What a token may be used for; each maps to <see cref="GovernedAction"/>s (never approve or administer).</summary>
public enum TokenAction
{
    Read,
    Deploy,
    Cancel,
}

/// <summary>
/// A token's scope: the actions and the <c>repository/environment</c> patterns (<c>*</c> = any run of characters;
/// none = every environment). The effective right is this scope intersected with the owner's roles at request time.
/// </summary>
public sealed partial record TokenScope(IReadOnlyList<TokenAction> Actions, IReadOnlyList<string> Environments)
{
    public static string Name(TokenAction a) => a.ToString().ToLowerInvariant();

    public static TokenAction? ActionFor(GovernedAction action) => action switch
    {
        GovernedAction.View => TokenAction.Read,
        GovernedAction.Deploy or GovernedAction.Preview => TokenAction.Deploy,
        GovernedAction.Cancel => TokenAction.Cancel,
        _ => null,
    };

    public bool Allows(string repository, string environment, GovernedAction action) =>
        ActionFor(action) is { } needed && Actions.Contains(needed)
        && (Environments.Count == 0 || Environments.Any(p => Matches(p, repository + "/" + environment)));

    public static bool Matches(string pattern, string place) =>
        Regex.IsMatch(place, "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public string ActionsText => string.Join(",", Actions.Select(Name));
    public string EnvironmentsText => string.Join(",", Environments);

    /// <summary>Reads the stored form (comma separated); unknown words are dropped.</summary>
    public static TokenScope FromStored(string actions, string environments) => new(
        Split(actions).Select(a => Enum.TryParse<TokenAction>(a, true, out var t) ? t : (TokenAction?)null).OfType<TokenAction>().Distinct().Order().ToList(),
        Split(environments));

    /// <summary>Patterns as typed (comma, space or line separated); the first that is not <c>repository/environment</c> is the error.</summary>
    public static (IReadOnlyList<string> Patterns, string? Error) ParsePatterns(string? text)
    {
        var patterns = Split(text);
        var bad = patterns.FirstOrDefault(p => !PatternShape().IsMatch(p));
        return bad is null ? (patterns, null)
            : (patterns, $"'{bad}' is not an environment pattern: write repository/environment, e.g. example/staging or example/* (letters, digits, . _ - and *).");
    }

    private static List<string> Split(string? text) =>
        (text ?? "").Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex("^[A-Za-z0-9._*-]+/[A-Za-z0-9._*-]+$")]
    private static partial Regex PatternShape();
}
