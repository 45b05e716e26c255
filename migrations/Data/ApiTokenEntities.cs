using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Data;

/// <summary>
/// A personal API token (<c>batou_&lt;PublicId&gt;_&lt;secret&gt;</c>): the public id finds the row, only the SHA-256 of the
/// secret is kept. Scoped to environments and actions, never above its owner's roles at the time of the request.
/// </summary>
public sealed class ApiTokenEntity
{
    public long Id { get; set; }
    /// <summary>The lookup part of the token (16 lower-case hex digits); appears in lists and the audit trail.</summary>
    public required string PublicId { get; set; }
    /// <summary>SHA-256 of the secret part, lower-case hex; the secret itself is never stored.</summary>
    public required string SecretHash { get; set; }
    public required string UserId { get; set; }
    public required string UserName { get; set; }
    public required string Name { get; set; }
    /// <summary><c>repository/environment</c> patterns (<c>*</c> matches any run of characters), comma separated; empty = every environment the owner may reach.</summary>
    public string Environments { get; set; } = "";
    /// <summary>read, deploy, cancel (comma separated).</summary>
    public required string Actions { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? LastUsedUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
    public string? RevokedBy { get; set; }
}

public static class ApiTokenModel
{
    public static void Configure(ModelBuilder builder) =>
        builder.Entity<ApiTokenEntity>(e =>
        {
            e.ToTable("api_tokens");
            e.Property(x => x.PublicId).HasMaxLength(32);
            e.Property(x => x.SecretHash).HasMaxLength(64);
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.UserName).HasMaxLength(256);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Environments).HasMaxLength(2000);
            e.Property(x => x.Actions).HasMaxLength(100);
            e.Property(x => x.RevokedBy).HasMaxLength(256);
            e.HasIndex(x => x.PublicId).IsUnique();
            e.HasIndex(x => new { x.UserName, x.Id });
        });
}
