using System.Security.Claims;

namespace Batou.Web.Governance.Tokens;

/// <summary>
/// The access policy for requests made with an API token: what the token's scope allows AND what its owner's roles
/// allow now (<paramref name="inner"/> reads the roles at every question, so a lowered role or a removed admin claim
/// counts at once). People signed in with the cookie get <paramref name="inner"/>'s answer unchanged.
/// </summary>
internal sealed class TokenScopedAccessPolicy(IAccessPolicy inner) : IAccessPolicy
{
    public async Task<bool> CanAsync(ClaimsPrincipal user, string repository, string environment, GovernedAction action, CancellationToken ct = default)
    {
        if (ApiTokenDefaults.ScopeOf(user) is { } scope && !scope.Allows(repository, environment, action)) return false;
        return await inner.CanAsync(user, repository, environment, action, ct);
    }

    public Task<IReadOnlyList<string>> UsersWhoCanAsync(string repository, string environment, GovernedAction action, CancellationToken ct = default) =>
        inner.UsersWhoCanAsync(repository, environment, action, ct);
}
