namespace Batou.Web.Governance.Identity;

/// <summary>The stable action names of the audit trail recorded by users, roles, tokens and the actions they guard.</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "sign-in.succeeded";
    public const string SignInFailed = "sign-in.failed";
    public const string SignInLockedOut = "sign-in.locked-out";
    public const string SignOut = "sign-out";
    public const string UserCreated = "user.created";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserSignedOut = "user.signed-out";
    public const string RoleGranted = "role.granted";
    public const string RoleRevoked = "role.revoked";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string TokenRejected = "token.rejected";
    public const string RepositoryAdded = "repository.added";
    public const string RepositoryRemoved = "repository.removed";
    public const string RepositoryFetched = "repository.fetched";
    public const string DeploymentRequested = "deployment.requested";
    public const string PreviewRequested = "preview.requested";
    public const string CancelRequested = "cancel.requested";
    public const string StopNowRequested = "cancel.stop-now";
    public const string AccessDenied = "access.denied";
    /// <summary>"Retry failed" requested (RequestRecorder: <c>{kind}.requested</c>).</summary>
    public const string RetryRequested = "retry.requested";
    public const string WebhookDisabled = "webhook.disabled";
    public const string WebhookEnabled = "webhook.enabled";

    /// <summary>What the audit page offers in its action filter (other parts add their own names; the filter also takes free text).</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        SignInSucceeded, SignInFailed, SignInLockedOut, SignOut, UserCreated, UserDisabled, UserEnabled, UserPasswordReset, UserSignedOut,
        RoleGranted, RoleRevoked, TokenCreated, TokenRevoked, TokenRejected, RepositoryAdded, RepositoryRemoved, RepositoryFetched,
        DeploymentRequested, PreviewRequested, CancelRequested, StopNowRequested, AccessDenied, RetryRequested, WebhookDisabled, WebhookEnabled,
    ];
}
