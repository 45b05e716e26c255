using Batou.Web.Data;

namespace Batou.Web.Governance.Identity;

/// <summary>
/// The audit trail in the database (<c>audit_entries</c>): one insert per record, stamped with the time here and, when
/// the caller did not say, the client address of the current request. There is no update or delete anywhere.
/// A failure to record propagates: an action that cannot be audited does not happen silently.
/// </summary>
internal sealed class DatabaseAuditTrail(IServiceScopeFactory scopes, IHttpContextAccessor http) : IAuditTrail
{
    public async Task RecordAsync(AuditRecord record, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        // an action done with an API token is the owner's, "via token <name> (<id>)"
        if (Tokens.ApiTokenDefaults.Via(http.HttpContext?.User) is { } via) record = record with { Detail = record.Detail is null ? via : $"{record.Detail} {via}" };
        db.AuditEntries.Add(ToEntity(record, DateTime.UtcNow, record.Address ?? http.HttpContext?.Connection.RemoteIpAddress?.ToString()));
        await db.SaveChangesAsync(ct);
    }

    internal static AuditEntryEntity ToEntity(AuditRecord r, DateTime atUtc, string? address) => new()
    {
        AtUtc = atUtc,
        Action = Cut(r.Action, 100)!,
        User = Cut(r.User, 256),
        Address = Cut(address, 64),
        Repository = Cut(r.Repository, 100),
        Environment = Cut(r.Environment, 200),
        Target = Cut(r.Target, 1000),
        Before = Cut(r.Before, 8000),
        After = Cut(r.After, 8000),
        Detail = Cut(r.Detail, 8000),
    };

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
