using System.Security.Claims;
using Batou.Web.Data;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Tokens;

/// <summary>
/// The outcome of checking a presented token: the principal of its owner, or why not (for the audit trail only:
/// the caller hears "invalid or expired token" whatever it was).
/// </summary>
public sealed record ApiTokenCheckResult(ClaimsPrincipal? Principal, string? PublicId, string? Owner, string? Reason);

/// <summary>Finds a token by its public id and checks secret, revocation, expiry and the owner (exists, not disabled), now.</summary>
public static class ApiTokenCheck
{
    public static async Task<ApiTokenCheckResult> CheckAsync(BatouDb db, string presented, DateTime now, CancellationToken ct)
    {
        if (!ApiTokenFormat.TryParse(presented, out var id, out var secret))
            return new(null, ApiTokenFormat.PublicIdOf(presented), null, "not a batou token");
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.PublicId == id, ct);
        if (token is null) return new(null, id, null, "unknown token id");
        // the secret first: without it nobody learns whether the token is revoked or expired
        if (!ApiTokenFormat.Matches(secret, token.SecretHash)) return new(null, id, token.UserName, "wrong secret");
        if (token.RevokedUtc is not null) return new(null, id, token.UserName, $"revoked by {token.RevokedBy}");
        if (token.ExpiresUtc <= now) return new(null, id, token.UserName, $"expired {token.ExpiresUtc:yyyy-MM-dd HH:mm} UTC");
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == token.UserId).Select(u => new { u.UserName, u.LockoutEnd }).FirstOrDefaultAsync(ct);
        if (owner?.UserName is null) return new(null, id, token.UserName, "the owner's account no longer exists");
        // a disabled account is locked out for good (UserAdmin); a temporary lockout after wrong passwords does not stop CI
        if (owner.LockoutEnd is { Year: >= 9999 }) return new(null, id, owner.UserName, "the owner's account is disabled");
        var admin = await db.UserClaims.AsNoTracking()
            .AnyAsync(c => c.UserId == token.UserId && c.ClaimType == AdminRequirement.ClaimType && c.ClaimValue == AdminRequirement.ClaimValue, ct);
        await db.ApiTokens.Where(t => t.Id == token.Id && (t.LastUsedUtc == null || t.LastUsedUtc < now.AddSeconds(-30)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedUtc, now), ct);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, token.UserId),
            new(ClaimTypes.Name, owner.UserName),
            new(ApiTokenDefaults.TokenIdClaim, token.PublicId),
            new(ApiTokenDefaults.TokenNameClaim, token.Name),
            new(ApiTokenDefaults.TokenActionsClaim, token.Actions),
            new(ApiTokenDefaults.TokenEnvironmentsClaim, token.Environments),
        };
        if (admin) claims.Add(new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue));
        return new(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiTokenDefaults.Scheme)), id, owner.UserName, null);
    }
}
