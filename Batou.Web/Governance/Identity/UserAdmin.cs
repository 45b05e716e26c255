using System.Security.Cryptography;
using Batou.Web.Data;
using Batou.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Identity;

public sealed record UserRow(string Id, string Name, bool Disabled, bool Admin, bool LockedOut);

/// <summary>
/// What administrators do with accounts and roles (<c>/admin/users</c>). Each operation takes a scope of its own
/// (a circuit lives long; a context must not), and records itself in the audit trail. Disabling or signing out a user
/// renews the security stamp: every cookie of that user stops working at its next request, open pages within a minute.
/// </summary>
public sealed class UserAdmin(IServiceScopeFactory scopes, IAuditTrail audit)
{
    public async Task<List<UserRow>> UsersAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var admins = await db.UserClaims.Where(c => c.ClaimType == AdminRequirement.ClaimType && c.ClaimValue == AdminRequirement.ClaimValue).Select(c => c.UserId).ToListAsync();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync();
        var now = DateTimeOffset.UtcNow;
        return users.Select(u => new UserRow(u.Id, u.UserName!, u.LockoutEnd == DateTimeOffset.MaxValue, admins.Contains(u.Id),
            u.LockoutEnd is { } end && end > now && end != DateTimeOffset.MaxValue)).ToList();
    }

    public async Task<string?> CreateAsync(string actor, string name, string password)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var result = await users.CreateAsync(new IdentityUser(name.Trim()), password);
        if (!result.Succeeded) return string.Join(" ", result.Errors.Select(e => e.Description));
        await audit.RecordAsync(new AuditRecord(AuditActions.UserCreated, actor, Target: name.Trim()));
        return null;
    }

    /// <summary>A disabled account cannot sign in and loses its sessions at once; the first administrator cannot be disabled.</summary>
    public async Task<string?> SetDisabledAsync(string actor, string name, bool disabled)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByNameAsync(name) is not { } user) return $"There is no user {name}.";
        if (disabled && (name.Equals(actor, StringComparison.OrdinalIgnoreCase) || (await users.GetClaimsAsync(user)).Any(IsAdminClaim)))
            return "An administrator cannot be disabled (and nobody can disable themselves).";
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(new AuditRecord(disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, actor, Target: name,
            Before: disabled ? "enabled" : "disabled", After: disabled ? "disabled" : "enabled"));
        return null;
    }

    /// <summary>Sets a new random password and returns it (shown once to the administrator; never logged or audited).</summary>
    public async Task<(string? Password, string? Error)> ResetPasswordAsync(string actor, string name)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByNameAsync(name) is not { } user) return (null, $"There is no user {name}.");
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded) return (null, string.Join(" ", result.Errors.Select(e => e.Description)));
        await audit.RecordAsync(new AuditRecord(AuditActions.UserPasswordReset, actor, Target: name));
        return (password, null);
    }

    public async Task<string?> SignOutEverywhereAsync(string actor, string name)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByNameAsync(name) is not { } user) return $"There is no user {name}.";
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(new AuditRecord(AuditActions.UserSignedOut, actor, Target: name));
        return null;
    }

    public async Task<List<RoleAssignmentEntity>> AssignmentsAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BatouDb>().RoleAssignments.AsNoTracking()
            .OrderBy(a => a.UserName).ThenBy(a => a.Repository).ThenBy(a => a.Environment).ToListAsync();
    }

    /// <summary>Gives a role; an empty repository or environment means "every".</summary>
    public async Task<string?> GrantAsync(string actor, string user, EnvironmentRole role, string? repository, string? environment)
    {
        repository = Blank(repository);
        environment = Blank(environment);
        if (environment is not null && repository is null) return "An environment role needs its repository.";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        if (!await db.Users.AnyAsync(u => u.UserName == user)) return $"There is no user {user}.";
        db.RoleAssignments.Add(new RoleAssignmentEntity
        {
            UserName = user, Role = Roles.Name(role), Repository = repository, Environment = environment, CreatedUtc = DateTime.UtcNow, CreatedBy = actor,
        });
        await db.SaveChangesAsync();
        await audit.RecordAsync(new AuditRecord(AuditActions.RoleGranted, actor, Repository: repository, Environment: environment, Target: user, After: Roles.Name(role)));
        return null;
    }

    public async Task RevokeAsync(string actor, long id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        if (await db.RoleAssignments.FirstOrDefaultAsync(a => a.Id == id) is not { } a) return;
        db.RoleAssignments.Remove(a);
        await db.SaveChangesAsync();
        await audit.RecordAsync(new AuditRecord(AuditActions.RoleRevoked, actor, Repository: a.Repository, Environment: a.Environment, Target: a.UserName, Before: a.Role));
    }

    private static bool IsAdminClaim(System.Security.Claims.Claim c) => c.Type == AdminRequirement.ClaimType && c.Value == AdminRequirement.ClaimValue;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) || s.Trim() == "*" ? null : s.Trim();
}
