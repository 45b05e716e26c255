using Batou.Web.Data;

namespace Batou.Web.Governance.Compare;

/// <summary>One side of a comparison: a deployment (with its commit) or just a commit.</summary>
public sealed record CompareSide(string Commit, long? DeploymentId = null, string? Status = null, string? RequestedBy = null, DateTime? RequestedUtc = null)
{
    public string Short => Commit[..Math.Min(10, Commit.Length)];
    public string Label => DeploymentId is { } id ? $"#{id}" : Short;
}

/// <summary>Two states of one environment of one repository to compare, older (<see cref="From"/>) first.</summary>
public sealed record Comparison(RepositoryEntity Repository, string Environment, CompareSide From, CompareSide To);

/// <summary>What asking for a comparison gave: the comparison, or why there is none (and whether that is "not found").</summary>
public sealed record ComparisonOutcome(Comparison? Comparison, string? Refusal = null, bool NotFound = false)
{
    public static ComparisonOutcome Missing(string why) => new(null, why, true);
    public static ComparisonOutcome Refused(string why) => new(null, why);
}
