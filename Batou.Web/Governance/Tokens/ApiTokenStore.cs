using System.Security.Claims;
using Batou.Web.Data;
using Batou.Web.Governance.Identity;
using Batou.Web.Governance.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Tokens;

/// <summary>What a person asks for: a name, days until it expires, environment patterns (empty = all), actions.</summary>
public sealed record NewApiToken(string Name, int Days, string? Environments, IReadOnlyCollection<TokenAction> Actions);

/// <summary>The new token (shown this once) or why not.</summary>
public sealed record ApiTokenCreated(string? PublicId, string? Token, string? Error);

public enum ApiTokenState
{
    Active,
    Expired,
    Revoked,
}

public sealed record ApiTokenRow(long Id, string PublicId, string Owner, string Name, TokenScope Scope, DateTime CreatedUtc, DateTime ExpiresUtc,
    DateTime? LastUsedUtc, DateTime? RevokedUtc, string? RevokedBy)
{
    public ApiTokenState StateAt(DateTime now) => RevokedUtc is not null ? ApiTokenState.Revoked : ExpiresUtc <= now ? ApiTokenState.Expired : ApiTokenState.Active;
}

/// <summary>
/// Creating, listing and revoking personal API tokens. Each person manages their own; administrators see and revoke
/// everybody's. Creation and revocation are audited (<c>token.created</c>, <c>token.revoked</c>) without the secret.
/// </summary>
public sealed class ApiTokenStore(IServiceScopeFactory scopes, IAccessPolicy access, IAuditTrail audit)
{
    public const int MaxDays = 365;

    public Task<bool> IsAdminAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        access.CanAsync(user, WebhookAdmin.Every, WebhookAdmin.Every, GovernedAction.Administer, ct);

    public async Task<ApiTokenCreated> CreateAsync(ClaimsPrincipal owner, NewApiToken request, CancellationToken ct = default)
    {
        if (owner.Identity is not { IsAuthenticated: true, Name: { } userName } || owner.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return new(null, null, "Sign in first.");
        if (ApiTokenDefaults.ScopeOf(owner) is not null) return new(null, null, "A token cannot create tokens.");
        var name = request.Name.Trim();
        if (name.Length is 0 or > 100) return new(null, null, "Give the token a name (up to 100 characters), e.g. the CI job that uses it.");
        if (request.Days is < 1 or > MaxDays) return new(null, null, $"A token expires after 1 to {MaxDays} days.");
        if (request.Actions.Count == 0) return new(null, null, "Choose at least one action: read, deploy or cancel.");
        var (patterns, error) = TokenScope.ParsePatterns(request.Environments);
        if (error is not null) return new(null, null, error);
        var scope = new TokenScope(request.Actions.Distinct().Order().ToList(), patterns);
        var parts = ApiTokenFormat.New();
        var now = DateTime.UtcNow;
        var entity = new ApiTokenEntity
        {
            PublicId = parts.PublicId, SecretHash = ApiTokenFormat.Hash(parts.Secret), UserId = userId, UserName = userName, Name = name,
            Environments = scope.EnvironmentsText, Actions = scope.ActionsText, CreatedUtc = now, ExpiresUtc = now.AddDays(request.Days),
        };
        await using (var scoped = ScopedDb.Open(scopes))
        {
            scoped.Db.ApiTokens.Add(entity);
            await scoped.Db.SaveChangesAsync(ct);
        }
        await audit.RecordAsync(new AuditRecord(AuditActions.TokenCreated, userName, Target: Describe(entity),
            After: $"actions={entity.Actions} environments={(entity.Environments.Length == 0 ? "all" : entity.Environments)} expires={entity.ExpiresUtc:yyyy-MM-dd HH:mm}Z"), ct);
        return new(parts.PublicId, parts.Token, null);
    }

    /// <summary>The tokens of <paramref name="owner"/>, or of everyone when null (administrators), newest first.</summary>
    public async Task<List<ApiTokenRow>> ListAsync(string? owner, int max = 500, CancellationToken ct = default)
    {
        await using var scoped = ScopedDb.Open(scopes);
        var q = scoped.Db.ApiTokens.AsNoTracking();
        if (owner is not null) q = q.Where(t => t.UserName == owner);
        var rows = await q.OrderByDescending(t => t.Id).Take(max).ToListAsync(ct);
        return rows.Select(t => new ApiTokenRow(t.Id, t.PublicId, t.UserName, t.Name, TokenScope.FromStored(t.Actions, t.Environments), t.CreatedUtc,
            t.ExpiresUtc, t.LastUsedUtc, t.RevokedUtc, t.RevokedBy)).ToList();
    }

    /// <summary>Revokes a token of <paramref name="actor"/> (or anyone's, for an administrator); null when done, else why not.</summary>
    public async Task<string?> RevokeAsync(ClaimsPrincipal actor, long id, CancellationToken ct = default)
    {
        if (actor.Identity is not { IsAuthenticated: true, Name: { } name }) return "Sign in first.";
        await using var scoped = ScopedDb.Open(scopes);
        var token = await scoped.Db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (token is null) return $"There is no token {id}.";
        if (token.UserName != name && !await IsAdminAsync(actor, ct)) return "Only its owner or an administrator may revoke a token.";
        if (token.RevokedUtc is not null) return $"Token {token.Name} was revoked already.";
        token.RevokedUtc = DateTime.UtcNow;
        token.RevokedBy = name;
        await scoped.Db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditRecord(AuditActions.TokenRevoked, name, Target: Describe(token), Before: "active", After: "revoked"), ct);
        return null;
    }

    private static string Describe(ApiTokenEntity t) => $"token {t.Name} ({t.PublicId}) of {t.UserName}";
}
