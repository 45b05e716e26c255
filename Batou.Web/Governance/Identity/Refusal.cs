using System.Security.Claims;

namespace Batou.Web.Governance.Identity;

/// <summary>The answer of an endpoint to an action the user may not do: audited, then 403 with a problem body.</summary>
public static class Refusal
{
    public static async Task<IResult?> CheckAsync(IAccessPolicy policy, IAuditTrail audit, ClaimsPrincipal user, string repository, string environment,
        GovernedAction action, string? target = null)
    {
        if (await policy.CanAsync(user, repository, environment, action)) return null;
        var verb = action.ToString().ToLowerInvariant();
        // a request with an API token may be refused by the token's scope before the owner's role counts
        var why = Tokens.ApiTokenDefaults.ScopeOf(user) is { } scope && !scope.Allows(repository, environment, action)
            ? $"the token's scope does not allow {verb} on {repository}/{environment}"
            : $"{verb} needs the role {Roles.Name(Roles.Needed(action))}";
        await audit.RecordAsync(new AuditRecord(AuditActions.AccessDenied, user.Identity?.Name, Repository: repository, Environment: environment, Target: target,
            Detail: why));
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden,
            detail: why.StartsWith("the token", StringComparison.Ordinal) ? $"{user.Identity?.Name}: {why}."
                : $"{user.Identity?.Name} may not {verb} {repository}/{environment}: that needs the role {Roles.Name(Roles.Needed(action))}.");
    }
}
