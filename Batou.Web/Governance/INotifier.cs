namespace Batou.Web.Governance;

/// <summary>What outgoing webhooks (and later other channels) are told about.</summary>
public static class NotificationKinds
{
    public const string ApprovalRequested = "approval.requested";
    public const string RequestExpired = "request.expired";
    public const string DeploymentStarted = "deployment.started";
    public const string DeploymentSucceeded = "deployment.succeeded";
    public const string DeploymentFailed = "deployment.failed";
    public const string DeploymentCancelled = "deployment.cancelled";
}

/// <param name="Kind">One of <see cref="NotificationKinds"/>.</param>
public sealed record Notification(string Kind, string Repository, string Environment, long DeploymentId, string? Commit, string? User, string? Reason = null);

/// <summary>Tells the outside world (webhooks) what happened; never blocks or fails the action that caused it.</summary>
public interface INotifier
{
    Task NotifyAsync(Notification notification, CancellationToken ct = default);
}
