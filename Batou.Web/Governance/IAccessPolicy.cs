using System.Security.Claims;

namespace Batou.Web.Governance;

/// <summary>
/// Who may do what with which environment. Every page, form endpoint and API endpoint asks this before acting
/// (pages also to hide buttons); the answer for "no" is a 403 at endpoints and an absent button on pages.
/// </summary>
public interface IAccessPolicy
{
    Task<bool> CanAsync(ClaimsPrincipal user, string repository, string environment, GovernedAction action, CancellationToken ct = default);

    /// <summary>The user names that may do <paramref name="action"/> on the environment (e.g. who may approve).</summary>
    Task<IReadOnlyList<string>> UsersWhoCanAsync(string repository, string environment, GovernedAction action, CancellationToken ct = default);
}
