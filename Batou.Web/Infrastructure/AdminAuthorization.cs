using System.Security.Claims;
using Batou.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Infrastructure;

/// <summary>
/// Who is an administrator (for now: who may open /hangfire). A user with the stored claim <c>batou:role = admin</c>,
/// or named in <c>Batou:Admins</c>. The first account gets the claim when it is created (<see cref="BatouUserManager"/>);
/// a database of an older version, whose first account has no claim, promotes its account while it is the only one.
/// </summary>
public sealed class AdminRequirement : IAuthorizationRequirement
{
    public const string Policy = "admin";
    public const string ClaimType = "batou:role";
    public const string ClaimValue = "admin";
}

internal sealed class AdminHandler(IServiceScopeFactory scopes, IOptions<BatouWebOptions> options) : AuthorizationHandler<AdminRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        if (context.User.Identity is not { IsAuthenticated: true, Name: { } name }) return;
        if (options.Value.Admins.Contains(name, StringComparer.OrdinalIgnoreCase) || context.User.HasClaim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue))
        {
            context.Succeed(requirement);
            return;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByNameAsync(name) is not { } user) return;
        var claims = await users.GetClaimsAsync(user);
        if (claims.Any(c => c.Type == AdminRequirement.ClaimType && c.Value == AdminRequirement.ClaimValue))
        {
            context.Succeed(requirement);
            return;
        }
        var anyAdmin = await db.UserClaims.AnyAsync(c => c.ClaimType == AdminRequirement.ClaimType && c.ClaimValue == AdminRequirement.ClaimValue);
        if (!anyAdmin && await db.Users.CountAsync() == 1)
        {
            await users.AddClaimAsync(user, new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue));
            context.Succeed(requirement);
        }
    }
}

/// <summary>Creates accounts as Identity does, and gives the very first one the administrator claim.</summary>
internal sealed class BatouUserManager(IUserStore<IdentityUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<IdentityUser> passwordHasher,
    IEnumerable<IUserValidator<IdentityUser>> userValidators, IEnumerable<IPasswordValidator<IdentityUser>> passwordValidators, ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<IdentityUser>> logger)
    : UserManager<IdentityUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> CreateAsync(IdentityUser user)
    {
        var result = await base.CreateAsync(user);
        if (result.Succeeded && await Users.CountAsync() == 1)
            await AddClaimAsync(user, new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue));
        return result;
    }
}
