using Batou.Web.Data;

namespace Batou.Web.Components.LiveLog;

/// <summary>
/// What the prerendered deployment page hands to its interactive render (<c>PersistentComponentState</c>): the row
/// and the graph's DOT, so the circuit's first render shows the page and its log at once instead of a loading bar
/// while it asks the database again. Nothing secret: both are shown in the page anyway.
/// </summary>
public sealed record PersistedDeployment(DeploymentEntity Deployment, string? Dot)
{
    public const string Key = "batou-deployment-page";
}
