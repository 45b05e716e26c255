namespace Batou.Web.Deployments;

public static class DeploymentStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Interrupted = "interrupted";
    /// <summary>Requested on an environment that needs approvals: no job, no lock, until the last approval queues it.</summary>
    public const string AwaitingApproval = "awaiting-approval";
    public const string Rejected = "rejected";
    /// <summary>Its approvals did not arrive before the policy's expiry.</summary>
    public const string Expired = "expired";

    public static readonly string[] All = [AwaitingApproval, Queued, Running, Succeeded, Failed, Cancelled, Interrupted, Rejected, Expired];

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled or Interrupted or Rejected or Expired;

    public static string Badge(string status) => status switch
    {
        Succeeded => "text-bg-success",
        Failed => "text-bg-danger",
        Running => "text-bg-primary",
        Queued => "text-bg-secondary",
        Cancelled or Rejected or Expired => "text-bg-warning",
        AwaitingApproval => "text-bg-info",
        _ => "text-bg-dark",
    };

    public static string Icon(string status) => status switch
    {
        Succeeded => "bi-check-circle-fill",
        Failed => "bi-x-circle-fill",
        Running => "bi-arrow-repeat",
        Queued => "bi-hourglass-split",
        Cancelled => "bi-slash-circle",
        AwaitingApproval => "bi-person-check",
        Rejected => "bi-hand-thumbs-down",
        Expired => "bi-clock-history",
        _ => "bi-exclamation-octagon",
    };
}

public static class DeploymentModes
{
    public const string Deploy = "deploy";
    public const string Predict = "predict";
}
