namespace Batou.Web.Data;

/// <summary>
/// One entry of the append-only audit trail (docs/governance.md). Rows are only ever inserted: no code path updates
/// or deletes them. Never holds a secret value.
/// </summary>
public sealed class AuditEntryEntity
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Action { get; set; }
    public string? User { get; set; }
    public string? Address { get; set; }
    public string? Repository { get; set; }
    public string? Environment { get; set; }
    public string? Target { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? Detail { get; set; }
}
