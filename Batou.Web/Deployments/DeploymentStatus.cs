namespace Batou.Web.Deployments;

public static class DeploymentStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Interrupted = "interrupted";

    public static readonly string[] All = [Queued, Running, Succeeded, Failed, Cancelled, Interrupted];

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled or Interrupted;

    public static string Badge(string status) => status switch
    {
        Succeeded => "text-bg-success",
        Failed => "text-bg-danger",
        Running => "text-bg-primary",
        Queued => "text-bg-secondary",
        Cancelled => "text-bg-warning",
        _ => "text-bg-dark",
    };

    public static string Icon(string status) => status switch
    {
        Succeeded => "bi-check-circle-fill",
        Failed => "bi-x-circle-fill",
        Running => "bi-arrow-repeat",
        Queued => "bi-hourglass-split",
        Cancelled => "bi-slash-circle",
        _ => "bi-exclamation-octagon",
    };
}

public static class DeploymentModes
{
    public const string Deploy = "deploy";
    public const string Predict = "predict";
}
