namespace Batou.Web.Data;

/// <summary>
/// One role given to one user: on one environment of one repository, on every environment of a repository
/// (<see cref="Environment"/> null) or everywhere (both null). The highest matching role counts.
/// </summary>
public sealed class RoleAssignmentEntity
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    /// <summary>viewer, deployer, approver or admin (<c>EnvironmentRole</c> in lower case).</summary>
    public required string Role { get; set; }
    public string? Repository { get; set; }
    public string? Environment { get; set; }
    public DateTime CreatedUtc { get; set; }
    public required string CreatedBy { get; set; }
}
