namespace Batou.Web.Governance.Identity;

/// <summary>Which role an action needs, and role names as stored (lower case).</summary>
public static class Roles
{
    public static EnvironmentRole Needed(GovernedAction action) => action switch
    {
        GovernedAction.View => EnvironmentRole.Viewer,
        GovernedAction.Preview or GovernedAction.Deploy or GovernedAction.Cancel => EnvironmentRole.Deployer,
        GovernedAction.Approve => EnvironmentRole.Approver,
        _ => EnvironmentRole.Admin,
    };

    public static string Name(EnvironmentRole role) => role.ToString().ToLowerInvariant();

    public static EnvironmentRole? Parse(string? name) =>
        Enum.TryParse<EnvironmentRole>(name, ignoreCase: true, out var r) && Enum.IsDefined(r) ? r : null;
}
