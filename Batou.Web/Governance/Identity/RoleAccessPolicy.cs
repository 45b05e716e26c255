using System.Security.Claims;
using Batou.Web.Data;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Governance.Identity;

/// <summary>
/// Roles per environment, per repository or everywhere (<c>role_assignments</c>); each role includes the lower ones
/// (viewer &lt; deployer &lt; approver &lt; admin). Administrators (the stored admin claim, which the first account has,
/// or <c>Batou:Admins</c>) may do everything. A signed-in user without a matching assignment is a viewer: sees
/// everything, changes nothing.
/// </summary>
internal sealed class RoleAccessPolicy(IServiceScopeFactory scopes, IOptions<BatouWebOptions> options) : IAccessPolicy
{
    public async Task<bool> CanAsync(ClaimsPrincipal user, string repository, string environment, GovernedAction action, CancellationToken ct = default)
    {
        if (user.Identity is not { IsAuthenticated: true, Name: { } name }) return false;
        if (IsAdmin(user, name)) return true;
        var needed = Roles.Needed(action);
        if (needed == EnvironmentRole.Viewer) return true;
        return await RoleAsync(name, repository, environment, ct) >= needed;
    }

    public async Task<IReadOnlyList<string>> UsersWhoCanAsync(string repository, string environment, GovernedAction action, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var admins = await (from c in db.UserClaims
                            join u in db.Users on c.UserId equals u.Id
                            where c.ClaimType == AdminRequirement.ClaimType && c.ClaimValue == AdminRequirement.ClaimValue
                            select u.UserName!).ToListAsync(ct);
        var needed = Roles.Needed(action);
        var assigned = (await Matching(db, null, repository, environment).ToListAsync(ct))
            .Where(a => Roles.Parse(a.Role) >= needed).Select(a => a.UserName);
        var everyone = needed == EnvironmentRole.Viewer ? await db.Users.Select(u => u.UserName!).ToListAsync(ct) : [];
        return admins.Concat(options.Value.Admins).Concat(assigned).Concat(everyone).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The highest role the user has on the environment: viewer without any assignment.</summary>
    public async Task<EnvironmentRole> RoleAsync(string user, string repository, string environment, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var roles = await Matching(db, user, repository, environment).Select(a => a.Role).ToListAsync(ct);
        return roles.Select(Roles.Parse).Where(r => r is not null).Select(r => r!.Value).DefaultIfEmpty(EnvironmentRole.Viewer).Max();
    }

    private bool IsAdmin(ClaimsPrincipal user, string name) =>
        user.HasClaim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue) || options.Value.Admins.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static IQueryable<RoleAssignmentEntity> Matching(BatouDb db, string? user, string repository, string environment)
    {
        var q = db.RoleAssignments.AsNoTracking().Where(a => (a.Repository == null || a.Repository == repository) && (a.Environment == null || a.Environment == environment));
        return user is null ? q : q.Where(a => a.UserName == user);
    }
}
