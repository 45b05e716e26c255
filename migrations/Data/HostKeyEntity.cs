using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Batou.Web.Data;

/// <summary>
/// One ssh host key the dashboard met (a deployment over the builtin client was refused because of it) or pins.
/// One row per address, port and fingerprint; <see cref="Status"/> is one of <see cref="HostKeyStatus"/>.
/// Only approved keys are handed to deployments. A public key is not secret.
/// </summary>
public sealed class HostKeyEntity
{
    public long Id { get; set; }
    public required string Address { get; set; }
    public int Port { get; set; }
    public required string KeyType { get; set; }
    /// <summary><c>SHA256:</c> and unpadded base64, as ssh-keygen -l prints it.</summary>
    public required string Fingerprint { get; set; }
    /// <summary>known_hosts form without the host: <c>type base64</c>.</summary>
    public required string PublicKey { get; set; }
    public required string Status { get; set; }
    /// <summary>The approved fingerprint this key differs from (the host offered a changed key), else null.</summary>
    public string? ReplacesFingerprint { get; set; }
    /// <summary>The batou host name, repository, environment and deployment that first met the key.</summary>
    public required string Host { get; set; }
    public string? Repository { get; set; }
    public string? Environment { get; set; }
    public long? DeploymentId { get; set; }
    public DateTime FirstSeenUtc { get; set; }
    public DateTime LastSeenUtc { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedUtc { get; set; }
}

public static class HostKeyStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    /// <summary>Was approved; an admin approved a changed key for the same address in its place.</summary>
    public const string Replaced = "replaced";
}

internal sealed class HostKeyConfiguration : IEntityTypeConfiguration<HostKeyEntity>
{
    public void Configure(EntityTypeBuilder<HostKeyEntity> e)
    {
        e.ToTable("host_keys");
        e.Property(x => x.Address).HasMaxLength(255);
        e.Property(x => x.KeyType).HasMaxLength(100);
        e.Property(x => x.Fingerprint).HasMaxLength(100);
        e.Property(x => x.Status).HasMaxLength(20);
        e.HasIndex(x => new { x.Address, x.Port, x.Fingerprint }).IsUnique();
        e.HasIndex(x => new { x.Status, x.Id });
    }
}
