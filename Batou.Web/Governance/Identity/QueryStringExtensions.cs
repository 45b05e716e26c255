namespace Batou.Web.Governance.Identity;

internal static class QueryStringExtensions
{
    public static QueryString AddIfSet(this QueryString q, string name, string? value) => string.IsNullOrWhiteSpace(value) ? q : q.Add(name, value.Trim());
}
