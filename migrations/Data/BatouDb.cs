using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Data;

/// <summary>What happened (deployments, events, users); the configuration itself stays in git.</summary>
public sealed class BatouDb(DbContextOptions<BatouDb> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<RepositoryEntity> Repositories => Set<RepositoryEntity>();
    public DbSet<DeploymentEntity> Deployments => Set<DeploymentEntity>();
    public DbSet<DeploymentEventEntity> DeploymentEvents => Set<DeploymentEventEntity>();
    public DbSet<DeploymentRootEntity> DeploymentRoots => Set<DeploymentRootEntity>();
    public DbSet<EnvironmentPolicyEntity> EnvironmentPolicies => Set<EnvironmentPolicyEntity>();
    public DbSet<DeploymentRequestEntity> DeploymentRequests => Set<DeploymentRequestEntity>();
    public DbSet<ApprovalEntity> Approvals => Set<ApprovalEntity>();
    public DbSet<HostKeyEntity> HostKeys => Set<HostKeyEntity>();
    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();
    public DbSet<RoleAssignmentEntity> RoleAssignments => Set<RoleAssignmentEntity>();
    public DbSet<WebhookEntity> Webhooks => Set<WebhookEntity>();
    public DbSet<WebhookDeliveryEntity> WebhookDeliveries => Set<WebhookDeliveryEntity>();
    public DbSet<WebhookAttemptEntity> WebhookAttempts => Set<WebhookAttemptEntity>();
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<RepositoryEntity>(e =>
        {
            e.ToTable("repositories");
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => x.Name).IsUnique();
        });
        builder.Entity<DeploymentEntity>(e =>
        {
            e.ToTable("deployments");
            e.HasIndex(x => new { x.RepositoryId, x.Environment, x.Id });
            e.HasIndex(x => new { x.Status, x.Id });
            e.HasIndex(x => new { x.RequestedBy, x.Id });
            e.HasIndex(x => new { x.Commit, x.Id });
            // the history's environment filter across repositories (?env=), newest first
            e.HasIndex(x => new { x.Environment, x.Id });
            // the database itself refuses a second running deployment of one environment, whatever a claim races with
            e.HasIndex(x => new { x.RepositoryId, x.Environment }).IsUnique().HasFilter("\"Status\" = 'running'")
                .HasDatabaseName("IX_deployments_one_running_per_environment");
        });
        builder.Entity<DeploymentEventEntity>(e =>
        {
            e.ToTable("deployment_events");
            e.HasIndex(x => new { x.DeploymentId, x.Seq }).IsUnique();
            e.HasIndex(x => new { x.DeploymentId, x.Type, x.Seq });
        });
        builder.Entity<DeploymentRootEntity>(e =>
        {
            e.ToTable("deployment_roots");
            e.HasIndex(x => x.DeploymentId);
        });
        ApprovalModel.Configure(builder);
        builder.ApplyConfiguration(new HostKeyConfiguration());
        builder.Entity<AuditEntryEntity>(e =>
        {
            e.ToTable("audit_entries");
            e.Property(x => x.Action).HasMaxLength(100);
            e.Property(x => x.User).HasMaxLength(256);
            e.Property(x => x.Address).HasMaxLength(64);
            e.Property(x => x.Repository).HasMaxLength(100);
            e.Property(x => x.Environment).HasMaxLength(200);
            // pages are newest first (time, then id); each filter has an index continuing with time and id, so a page
            // with one filter and a time range is one index range scan in page order, however long the trail
            e.HasIndex(x => new { x.AtUtc, x.Id });
            e.HasIndex(x => new { x.User, x.AtUtc, x.Id });
            e.HasIndex(x => new { x.Environment, x.AtUtc, x.Id });
            e.HasIndex(x => new { x.Action, x.AtUtc, x.Id });
            // user and environment together (SQLite uses one index per table: either alone filters the other row by row)
            e.HasIndex(x => new { x.User, x.Environment, x.AtUtc, x.Id });
        });
        builder.Entity<RoleAssignmentEntity>(e =>
        {
            e.ToTable("role_assignments");
            e.Property(x => x.UserName).HasMaxLength(256);
            e.Property(x => x.Role).HasMaxLength(20);
            e.Property(x => x.Repository).HasMaxLength(100);
            e.Property(x => x.Environment).HasMaxLength(200);
            e.HasIndex(x => x.UserName);
        });
        OnWebhooksCreating(builder);
        ApiTokenModel.Configure(builder);
    }

    private static void OnWebhooksCreating(ModelBuilder builder)
    {
        builder.Entity<WebhookEntity>(e =>
        {
            e.ToTable("webhooks");
            e.Property(x => x.Url).HasMaxLength(2000);
        });
        builder.Entity<WebhookDeliveryEntity>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasIndex(x => new { x.Status, x.NextAttemptUtc });
            e.HasIndex(x => new { x.WebhookId, x.Id });
        });
        builder.Entity<WebhookAttemptEntity>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasIndex(x => new { x.WebhookId, x.Id });
            e.HasIndex(x => x.DeliveryId);
        });
    }
}
