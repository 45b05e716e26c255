using System.Security.Claims;
using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Webhooks;

/// <summary>What an admin asks for when adding a webhook; empty repository or environment means "every".</summary>
public sealed record NewWebhook(string Url, string? Repository, string? Environment, IReadOnlyCollection<string> Events);

/// <summary>The outcome of adding one: its id and the secret (shown this once), or why not.</summary>
public sealed record WebhookCreated(int? Id, string? Secret, string? Error);

/// <summary>
/// Managing webhooks (admins: <see cref="GovernedAction.Administer"/> on the environment, or everywhere for one that
/// covers every environment — "*" stands for "every" in the access question). Every change is audited, without the secret.
/// </summary>
public sealed class WebhookAdmin(IServiceScopeFactory scopes, IAccessPolicy access, IAuditTrail audit, WebhookSecrets secrets)
{
    public const string Every = "*";

    public Task<bool> MayAdministerAsync(ClaimsPrincipal user, string? repository, string? environment, CancellationToken ct = default) =>
        access.CanAsync(user, repository ?? Every, environment ?? Every, GovernedAction.Administer, ct);

    public async Task<WebhookCreated> CreateAsync(ClaimsPrincipal user, NewWebhook w, string? address, CancellationToken ct = default)
    {
        var repository = Blank(w.Repository);
        var environment = Blank(w.Environment);
        if (!Uri.TryCreate(w.Url.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return new(null, null, $"'{w.Url}' is not an http:// or https:// address.");
        if (!string.IsNullOrEmpty(url.UserInfo)) return new(null, null, "Put no user name or password in the address; receivers check the signature instead.");
        var unknown = w.Events.Except(WebhookEvent.Kinds).ToList();
        if (unknown.Count > 0) return new(null, null, $"Unknown event(s): {string.Join(", ", unknown)}.");
        if (w.Events.Count == 0) return new(null, null, "Choose at least one event.");
        if (environment is not null && repository is null) return new(null, null, "An environment belongs to a repository: name the repository too.");
        if (!await MayAdministerAsync(user, repository, environment, ct)) return new(null, null, "Only admins may add webhooks.");
        var secret = WebhookSecrets.NewSecret();
        var hook = new WebhookEntity
        {
            Url = url.ToString(), Repository = repository, Environment = environment, Events = string.Join(',', WebhookEvent.Kinds.Intersect(w.Events)),
            SecretCipher = secrets.Protect(secret), CreatedBy = user.Identity?.Name ?? "unknown", CreatedUtc = DateTime.UtcNow,
        };
        await using var scoped = ScopedDb.Open(scopes);
        var db = scoped.Db;
        db.Webhooks.Add(hook);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditRecord("webhook.created", hook.CreatedBy, null, repository, environment, $"webhook {hook.Id}",
            After: $"{hook.Url} events={hook.Events}"), ct);
        return new(hook.Id, secret, null);
    }

    public async Task<string?> DeleteAsync(ClaimsPrincipal user, int id, CancellationToken ct = default)
    {
        await using var scoped = ScopedDb.Open(scopes);
        var db = scoped.Db;
        var hook = await db.Webhooks.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (hook is null) return $"There is no webhook {id}.";
        if (!await MayAdministerAsync(user, hook.Repository, hook.Environment, ct)) return "Only admins may remove webhooks.";
        db.Webhooks.Remove(hook);
        await db.SaveChangesAsync(ct);
        // deliveries still waiting end with "the webhook was deleted" in their log
        await audit.RecordAsync(new AuditRecord("webhook.deleted", user.Identity?.Name, null, hook.Repository, hook.Environment, $"webhook {id}",
            Before: $"{hook.Url} events={hook.Events}"), ct);
        return null;
    }

    /// <summary>
    /// Disables (nothing new is recorded for it, its waiting deliveries wait) or enables it again; the webhook, its secret and its
    /// delivery log stay. Audited as <c>webhook.disabled</c>/<c>webhook.enabled</c> with the state before and after.
    /// </summary>
    public async Task<string?> SetEnabledAsync(ClaimsPrincipal user, int id, bool enabled, CancellationToken ct = default)
    {
        await using var scoped = ScopedDb.Open(scopes);
        var db = scoped.Db;
        var hook = await db.Webhooks.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (hook is null) return $"There is no webhook {id}.";
        if (!await MayAdministerAsync(user, hook.Repository, hook.Environment, ct)) return "Only admins may disable or enable webhooks.";
        if (hook.Enabled == enabled) return null;
        hook.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditRecord(enabled ? Identity.AuditActions.WebhookEnabled : Identity.AuditActions.WebhookDisabled, user.Identity?.Name, null, hook.Repository, hook.Environment,
            $"webhook {id}", Before: enabled ? "disabled" : "enabled", After: enabled ? "enabled" : "disabled", Detail: hook.Url), ct);
        return null;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) || s.Trim() == Every ? null : s.Trim();
}
