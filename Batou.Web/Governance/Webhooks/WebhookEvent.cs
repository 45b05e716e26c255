using System.Text.Json;
using System.Text.Json.Serialization;

namespace Batou.Web.Governance.Webhooks;

/// <summary>The JSON body of a webhook delivery (docs/governance.md documents it for receivers).</summary>
public sealed record WebhookEvent(
    string Id,
    string Event,
    string Repository,
    string Environment,
    long Deployment,
    string? Commit,
    string? User,
    string Status,
    string? Reason,
    string Link,
    DateTime At)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static string StatusOf(string kind) => kind switch
    {
        NotificationKinds.ApprovalRequested => "awaiting-approval",
        NotificationKinds.RequestExpired => "expired",
        NotificationKinds.DeploymentStarted => "running",
        NotificationKinds.DeploymentSucceeded => "succeeded",
        NotificationKinds.DeploymentFailed => "failed",
        NotificationKinds.DeploymentCancelled => "cancelled",
        _ => kind,
    };

    public static readonly IReadOnlyList<string> Kinds =
    [
        NotificationKinds.ApprovalRequested, NotificationKinds.DeploymentStarted, NotificationKinds.DeploymentSucceeded,
        NotificationKinds.DeploymentFailed, NotificationKinds.DeploymentCancelled, NotificationKinds.RequestExpired,
    ];
}
