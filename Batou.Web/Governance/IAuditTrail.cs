namespace Batou.Web.Governance;

/// <summary>
/// One thing someone did: who, when (set by the trail), from which address, on what, and before/after values of a
/// change. Never a secret value.
/// </summary>
/// <param name="Action">A stable dotted name: <c>sign-in.succeeded</c>, <c>deployment.requested</c>, <c>approval.granted</c>, <c>policy.changed</c>, ….</param>
public sealed record AuditRecord(
    string Action,
    string? User,
    string? Address = null,
    string? Repository = null,
    string? Environment = null,
    string? Target = null,
    string? Before = null,
    string? After = null,
    string? Detail = null);

/// <summary>The append-only audit trail: nothing in the UI or the API edits or deletes an entry.</summary>
public interface IAuditTrail
{
    Task RecordAsync(AuditRecord record, CancellationToken ct = default);
}
