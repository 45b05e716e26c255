using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Governance.Webhooks;

/// <summary>
/// The <see cref="INotifier"/> of outgoing webhooks: stores one delivery per matching webhook (the exact body that
/// will be signed and sent) and wakes the <see cref="WebhookDispatcher"/>. Never fails the action that notified.
/// </summary>
public sealed class WebhookNotifier(IServiceScopeFactory scopes, WebhookSignal signal, IOptions<WebhookOptions> options, ILogger<WebhookNotifier> log) : INotifier
{
    public async Task NotifyAsync(Notification n, CancellationToken ct = default)
    {
        try
        {
            await using var scoped = ScopedDb.Open(scopes);
            var db = scoped.Db;
            var hooks = await db.Webhooks.AsNoTracking()
                .Where(w => w.Enabled && (w.Repository == null || w.Repository == n.Repository) && (w.Environment == null || w.Environment == n.Environment))
                .ToListAsync(ct);
            var now = DateTime.UtcNow;
            var link = $"{options.Value.PublicUrl?.TrimEnd('/')}/deployments/{n.DeploymentId}";
            foreach (var hook in hooks.Where(h => h.Events.Split(',').Contains(n.Kind)))
            {
                var id = Guid.NewGuid().ToString("N");
                var body = new WebhookEvent(id, n.Kind, n.Repository, n.Environment, n.DeploymentId, n.Commit, n.User, WebhookEvent.StatusOf(n.Kind), n.Reason, link, now).ToJson();
                db.WebhookDeliveries.Add(new WebhookDeliveryEntity
                {
                    WebhookId = hook.Id, EventId = id, Kind = n.Kind, Body = body, Status = WebhookDeliveryStatus.Pending, CreatedUtc = now, NextAttemptUtc = now,
                });
            }
            if (db.ChangeTracker.HasChanges())
            {
                await db.SaveChangesAsync(ct);
                signal.Wake();
            }
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or OperationCanceledException)
        {
            log.LogWarning("Webhook notification {Kind} of deployment {Id} was not stored: {Error}", n.Kind, n.DeploymentId, e.Message);
        }
    }
}

public static class WebhookDeliveryStatus
{
    public const string Pending = "pending", Delivered = "delivered", Failed = "failed";
}

/// <summary>Wakes the dispatcher when a delivery was stored (it also looks every second, for retries and other processes).</summary>
public sealed class WebhookSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    public Task WaitAsync(TimeSpan most, CancellationToken ct) => _wake.WaitAsync(most, ct);
}
