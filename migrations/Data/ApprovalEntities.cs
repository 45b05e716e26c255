using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Data;

/// <summary>
/// The rules of one environment of a repository (issue #9 "Environment policy"): how many approvals, by whom,
/// which environment must have run the commit first, and when deployments may start. Edited by admins, audited.
/// </summary>
public sealed class EnvironmentPolicyEntity
{
    public int Id { get; set; }
    public int RepositoryId { get; set; }
    public required string Environment { get; set; }
    /// <summary>Distinct approvals a deployment needs before it is queued; 0 = none.</summary>
    public int RequiredApprovals { get; set; }
    /// <summary>Named approvers, comma separated; empty = everyone the access policy lets approve.</summary>
    public string Approvers { get; set; } = "";
    public bool ForbidSelfApproval { get; set; } = true;
    /// <summary>Hours a request waits for approvals before it ends as expired.</summary>
    public int ExpiryHours { get; set; } = 24;
    /// <summary>The environment where the commit must have been deployed successfully first (the lifecycle).</summary>
    public string? PromoteFrom { get; set; }
    /// <summary>IANA time zone the windows and freezes are written in.</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Deploy windows, e.g. <c>Mon-Fri 09:00-17:00; Sat 10:00-12:00</c>; empty = always open.</summary>
    public string Windows { get; set; } = "";
    /// <summary>Freezes in local time, e.g. <c>2026-12-24 00:00 to 2026-12-27 00:00</c>, one per line or separated by ";".</summary>
    public string Freezes { get; set; } = "";
    public string? UpdatedBy { get; set; }
    public DateTime UpdatedUtc { get; set; }
}

/// <summary>What a deployment was requested under: its snapshot (commit + fingerprint), its approvals rule, an override.</summary>
public sealed class DeploymentRequestEntity
{
    public long DeploymentId { get; set; }
    /// <summary>The environment's resolved-configuration fingerprint at request time; the runner refuses another.</summary>
    public required string Fingerprint { get; set; }
    public int RequiredApprovals { get; set; }
    public bool ForbidSelfApproval { get; set; }
    public DateTime? ExpiresUtc { get; set; }
    /// <summary>deploy, promote, redeploy, rollback, retry.</summary>
    public string Kind { get; set; } = "deploy";
    public long? SourceDeploymentId { get; set; }
    /// <summary>The failed deployment a retry re-runs (its <see cref="SourceDeploymentId"/>).</summary>
    public long? RetryOf => Kind == "retry" ? SourceDeploymentId : null;
    /// <summary>Only these roots are deployed (<c>component@host</c>, one per line; the engine's <c>Only</c>); null: every root.</summary>
    public string? Roots { get; set; }
    public string? OverrideBy { get; set; }
    public string? OverrideReason { get; set; }
    /// <summary>Why the request ended without running (rejected, expired, refused at start).</summary>
    public string? Outcome { get; set; }
}

/// <summary>One person's decision on a request: approved, or rejected with a comment. One per person and request.</summary>
public sealed class ApprovalEntity
{
    public long Id { get; set; }
    public long DeploymentId { get; set; }
    public required string User { get; set; }
    public bool Approved { get; set; }
    public string Comment { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}

public static class ApprovalModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<EnvironmentPolicyEntity>(e =>
        {
            e.ToTable("environment_policies");
            e.Property(x => x.Environment).HasMaxLength(200);
            e.HasIndex(x => new { x.RepositoryId, x.Environment }).IsUnique();
        });
        builder.Entity<DeploymentRequestEntity>(e =>
        {
            e.ToTable("deployment_requests");
            e.HasKey(x => x.DeploymentId);
            e.Property(x => x.DeploymentId).ValueGeneratedNever();
            e.HasIndex(x => x.ExpiresUtc);
        });
        builder.Entity<ApprovalEntity>(e =>
        {
            e.ToTable("approvals");
            e.HasIndex(x => new { x.DeploymentId, x.User }).IsUnique();
        });
    }
}
