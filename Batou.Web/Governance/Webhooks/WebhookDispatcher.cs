using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Governance.Webhooks;

/// <summary>
/// Sends stored webhook deliveries: signs the body (<c>X-Batou-Signature: sha256=…</c>), posts it, logs every attempt
/// (status code, time, error) and retries failures with exponential back-off until <see cref="WebhookOptions.MaxAttempts"/>.
/// A delivery is claimed by moving its next attempt ahead in one conditional update, so processes sharing the
/// database do not send it twice at once.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, WebhookSecrets secrets, WebhookSignal signal, IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> log) : BackgroundService
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds),
    };

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stop);
                await signal.WaitAsync(TimeSpan.FromSeconds(Math.Min(1, options.Value.RetrySeconds)), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
            {
                log.LogWarning("Webhook deliveries could not be read: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
            }
        }
    }

    private async Task SendDueAsync(CancellationToken stop)
    {
        await using var scoped = ScopedDb.Open(scopes);
        var db = scoped.Db;
        var now = DateTime.UtcNow;
        // deliveries of a disabled webhook wait until it is enabled again
        var due = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptUtc <= now
                                                                       && !db.Webhooks.Any(w => w.Id == d.WebhookId && !w.Enabled))
            .OrderBy(d => d.NextAttemptUtc).Take(20).ToListAsync(stop);
        if (due.Count == 0) return;
        var hooks = await db.Webhooks.AsNoTracking().Where(w => due.Select(d => d.WebhookId).Contains(w.Id)).ToDictionaryAsync(w => w.Id, stop);
        await Task.WhenAll(due.Select(d => ClaimAndSendAsync(d, hooks.GetValueOrDefault(d.WebhookId), stop)));
    }

    private async Task ClaimAndSendAsync(WebhookDeliveryEntity d, WebhookEntity? hook, CancellationToken stop)
    {
        await using var scoped = ScopedDb.Open(scopes);
        var db = scoped.Db;
        var lease = DateTime.UtcNow.AddSeconds(options.Value.TimeoutSeconds * 3);
        var claimed = await db.WebhookDeliveries.Where(x => x.Id == d.Id && x.Status == WebhookDeliveryStatus.Pending && x.NextAttemptUtc == d.NextAttemptUtc)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextAttemptUtc, lease), stop);
        if (claimed != 1) return;
        var attempt = d.Attempts + 1;
        var (code, error, took) = hook is null ? (null, "the webhook was deleted", 0L) : await SendAsync(hook, d, stop);
        var ok = code is >= 200 and < 300;
        var givenUp = !ok && (hook is null || attempt >= options.Value.MaxAttempts);
        db.WebhookAttempts.Add(new WebhookAttemptEntity
        {
            DeliveryId = d.Id, WebhookId = d.WebhookId, Attempt = attempt, AtUtc = DateTime.UtcNow, StatusCode = code, Error = error, DurationMs = took,
        });
        await db.SaveChangesAsync(stop);
        var next = DateTime.UtcNow + options.Value.BackOff(attempt);
        await db.WebhookDeliveries.Where(x => x.Id == d.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Attempts, attempt)
            .SetProperty(x => x.Status, ok ? WebhookDeliveryStatus.Delivered : givenUp ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending)
            .SetProperty(x => x.DeliveredUtc, ok ? DateTime.UtcNow : null)
            .SetProperty(x => x.NextAttemptUtc, next), stop);
        if (!ok) log.LogInformation("Webhook {Hook} delivery {Delivery} attempt {Attempt}: {Outcome}", d.WebhookId, d.EventId, attempt, error ?? $"HTTP {code}");
    }

    private async Task<(int? Code, string? Error, long Ms)> SendAsync(WebhookEntity hook, WebhookDeliveryEntity d, CancellationToken stop)
    {
        var body = Encoding.UTF8.GetBytes(d.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Batou-Event", d.Kind);
        request.Headers.Add("X-Batou-Delivery", d.EventId);
        request.Headers.Add("X-Batou-Signature", WebhookSecrets.Sign(secrets.Unprotect(hook.SecretCipher), body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("batou-webhooks", "1"));
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            var why = e is TaskCanceledException ? $"no answer within {options.Value.TimeoutSeconds} s" : e.Message;
            return (null, why.Length > 500 ? why[..500] : why, clock.ElapsedMilliseconds);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
