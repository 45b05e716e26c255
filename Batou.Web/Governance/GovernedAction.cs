namespace Batou.Web.Governance;

/// <summary>What a person (or an API token) may want to do with an environment.</summary>
public enum GovernedAction
{
    View,
    Preview,
    Deploy,
    Cancel,
    Approve,
    /// <summary>Change the environment's policy, override a window, manage users and tokens.</summary>
    Administer,
}

/// <summary>The roles given per environment, per repository or everywhere; each includes the ones before it.</summary>
public enum EnvironmentRole
{
    Viewer,
    Deployer,
    Approver,
    Admin,
}
