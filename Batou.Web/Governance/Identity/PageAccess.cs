using Microsoft.AspNetCore.Components.Authorization;

namespace Batou.Web.Governance.Identity;

/// <summary>What the signed-in person of this circuit (or request) may do: pages ask before showing a button and again before acting.</summary>
public sealed class PageAccess(IAccessPolicy policy, AuthenticationStateProvider auth)
{
    public async Task<bool> CanAsync(string repository, string environment, GovernedAction action)
    {
        var state = await auth.GetAuthenticationStateAsync();
        return await policy.CanAsync(state.User, repository, environment, action);
    }
}
