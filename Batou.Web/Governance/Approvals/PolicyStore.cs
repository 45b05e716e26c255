using System.Security.Claims;
using System.Text.Json;
using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Approvals;

/// <summary>What an admin sets on an environment; the edit form and the audit trail's before/after use this shape.</summary>
public sealed record PolicyInput(int RequiredApprovals, string Approvers, bool ForbidSelfApproval, int ExpiryHours, string? PromoteFrom,
    string TimeZone, string Windows, string Freezes)
{
    public static PolicyInput Default { get; } = new(0, "", true, 24, null, "UTC", "", "");

    public static PolicyInput From(EnvironmentPolicyEntity? p) => p is null ? Default
        : new(p.RequiredApprovals, p.Approvers, p.ForbidSelfApproval, p.ExpiryHours, p.PromoteFrom, p.TimeZone, p.Windows, p.Freezes);

    public IReadOnlyList<string> NamedApprovers => ApproverList(Approvers);

    public static IReadOnlyList<string> ApproverList(string approvers) =>
        approvers.Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>The policies of environments: read by everyone, changed only by those who may administer the environment.</summary>
public sealed class PolicyStore(ApprovalDbs dbs, IAccessPolicy access, IAuditTrail audit)
{
    public async Task<EnvironmentPolicyEntity?> GetAsync(int repositoryId, string environment, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.EnvironmentPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.RepositoryId == repositoryId && p.Environment == environment, ct);
    }

    /// <summary>The environments whose policy says "promote from <paramref name="environment"/>": the next steps of its lifecycle.</summary>
    public async Task<List<string>> NextAsync(int repositoryId, string environment, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.EnvironmentPolicies.AsNoTracking().Where(p => p.RepositoryId == repositoryId && p.PromoteFrom == environment)
            .OrderBy(p => p.Environment).Select(p => p.Environment).ToListAsync(ct);
    }

    /// <summary>Who may approve: the named approvers, else everyone the access policy names (empty = every signed-in user).</summary>
    public async Task<IReadOnlyList<string>> ApproversAsync(string repository, string environment, PolicyInput policy, CancellationToken ct = default) =>
        policy.NamedApprovers.Count > 0 ? policy.NamedApprovers : await access.UsersWhoCanAsync(repository, environment, GovernedAction.Approve, ct);

    /// <summary>Checks a policy; the message says what is wrong.</summary>
    public async Task<string?> ValidateAsync(string repository, string environment, PolicyInput p, CancellationToken ct = default)
    {
        if (p.RequiredApprovals is < 0 or > 20) return "Required approvals must be between 0 and 20.";
        if (p.ExpiryHours is < 1 or > 24 * 90) return "Approval expiry must be between 1 hour and 90 days (2160 hours).";
        if (p.PromoteFrom is { Length: > 0 } from && from == environment) return $"{environment} cannot be promoted from itself.";
        var (_, windowError) = DeployWindow.Parse(p.TimeZone, p.Windows, p.Freezes);
        if (windowError is not null) return windowError;
        if (p.RequiredApprovals > 0)
        {
            var named = p.NamedApprovers.Count > 0;
            var possible = await ApproversAsync(repository, environment, p, ct);
            if ((named || possible.Count > 0) && p.RequiredApprovals > possible.Count)
                return $"{p.RequiredApprovals} approvals are required but only {possible.Count} {(possible.Count == 1 ? "person" : "people")} may approve ({string.Join(", ", possible)}).";
        }
        return null;
    }

    /// <summary>Saves the policy of one environment when <paramref name="user"/> may administer it; the error says why not.</summary>
    public async Task<string?> SaveAsync(ClaimsPrincipal user, RepositoryEntity repo, string environment, PolicyInput input, string? address = null, CancellationToken ct = default)
    {
        if (!await access.CanAsync(user, repo.Name, environment, GovernedAction.Administer, ct)) return "Only administrators can change the policy of an environment.";
        input = input with
        {
            Approvers = string.Join(", ", input.NamedApprovers),
            PromoteFrom = string.IsNullOrWhiteSpace(input.PromoteFrom) ? null : input.PromoteFrom.Trim(),
            TimeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim(),
            Windows = input.Windows?.Trim() ?? "",
            Freezes = input.Freezes?.Trim() ?? "",
        };
        if (await ValidateAsync(repo.Name, environment, input, ct) is { } error) return error;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.EnvironmentPolicies.FirstOrDefaultAsync(p => p.RepositoryId == repo.Id && p.Environment == environment, ct);
        var before = row is null ? null : PolicyInput.From(row).ToJson();
        row ??= db.EnvironmentPolicies.Add(new EnvironmentPolicyEntity { RepositoryId = repo.Id, Environment = environment }).Entity;
        row.RequiredApprovals = input.RequiredApprovals;
        row.Approvers = input.Approvers;
        row.ForbidSelfApproval = input.ForbidSelfApproval;
        row.ExpiryHours = input.ExpiryHours;
        row.PromoteFrom = input.PromoteFrom;
        row.TimeZone = input.TimeZone;
        row.Windows = input.Windows;
        row.Freezes = input.Freezes;
        row.UpdatedBy = user.Identity?.Name;
        row.UpdatedUtc = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditRecord("policy.changed", user.Identity?.Name, address, repo.Name, environment, $"policy of {environment}",
            before, input.ToJson()), ct);
        return null;
    }
}
