using System.Security.Claims;

namespace Batou.Web.Governance.Identity;

/// <summary>The answer of an endpoint to an action the user may not do: audited, then 403 with a problem body.</summary>
public static class Refusal
{
    public static async Task<IResult?> CheckAsync(IAccessPolicy policy, IAuditTrail audit, ClaimsPrincipal user, string repository, string environment,
        GovernedAction action, string? target = null)
    {
        if (await policy.CanAsync(user, repository, environment, action)) return null;
        await audit.RecordAsync(new AuditRecord(AuditActions.AccessDenied, user.Identity?.Name, Repository: repository, Environment: environment, Target: target,
            Detail: $"{action.ToString().ToLowerInvariant()} needs the role {Roles.Name(Roles.Needed(action))}"));
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden,
            detail: $"{user.Identity?.Name} may not {action.ToString().ToLowerInvariant()} {repository}/{environment}: that needs the role {Roles.Name(Roles.Needed(action))}.");
    }
}
