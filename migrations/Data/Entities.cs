namespace Batou.Web.Data;

/// <summary>A deployment repository the dashboard reads: a git URL or a local path (maybe inside a larger git repository).</summary>
public sealed class RepositoryEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    /// <summary>Path of the deployment repository inside the git repository ("" for its root).</summary>
    public string Subdirectory { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime? LastFetchUtc { get; set; }
    public string? LastError { get; set; }
    /// <summary>The ssh client of its deployments: null (the dashboard's default, builtin), <c>openssh</c> or <c>builtin</c>.</summary>
    public string? SshClient { get; set; }
    /// <summary>When an administrator removed it: it is archived, not deleted (its deployments and audit stay readable); null while configured.</summary>
    public DateTime? RemovedUtc { get; set; }
    public string? RemovedBy { get; set; }
}

/// <summary>One requested deployment or preview, from queued to a final state.</summary>
public sealed class DeploymentEntity
{
    public long Id { get; set; }
    public int RepositoryId { get; set; }
    public required string Environment { get; set; }
    public required string Commit { get; set; }
    public string? Branch { get; set; }
    public string CommitMessage { get; set; } = "";
    public required string Mode { get; set; }
    public int? Jobs { get; set; }
    public required string Status { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
    public int EventCount { get; set; }
    public int ErrorCount { get; set; }
    public int ChangedCount { get; set; }
    /// <summary>Who asked to cancel; while the deployment runs, the process running it sees this at its next heartbeat.</summary>
    public string? CancelledBy { get; set; }
    /// <summary>When somebody asked a cancelled deployment to stop now (kill its running commands before the grace period ends).</summary>
    public DateTime? StopNowUtc { get; set; }
    /// <summary>The process that claimed (runs) this deployment: "machine:pid:instance"; null unless it was claimed.</summary>
    public string? LeaseOwner { get; set; }
    /// <summary>Until when the claim holds; the owner's heartbeat moves it on. Past it, the deployment is interrupted.</summary>
    public DateTime? LeaseExpiresUtc { get; set; }
}

/// <summary>One engine event of a deployment as JSON (<c>EventJson</c>), numbered from 1.</summary>
public sealed class DeploymentEventEntity
{
    public long Id { get; set; }
    public long DeploymentId { get; set; }
    public int Seq { get; set; }
    public required string Type { get; set; }
    public required string Json { get; set; }
}

/// <summary>How one root component of a host ended in a deployment.</summary>
public sealed class DeploymentRootEntity
{
    public long Id { get; set; }
    public long DeploymentId { get; set; }
    public required string Host { get; set; }
    public required string Component { get; set; }
    public required string Status { get; set; }
    public long DurationMs { get; set; }
}
