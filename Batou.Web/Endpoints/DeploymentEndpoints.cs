using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Governance;
using Batou.Web.Governance.Identity;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Endpoints;

public static class DeploymentEndpoints
{
    public static void MapDeploymentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/deployments/{id:long}/cancel", async (long id, HttpContext http, Deployer deployer, BatouDb db, IAccessPolicy policy, IAuditTrail audit) =>
        {
            if (await DeploymentPlace.FindAsync(db, id) is not { } place) return Results.NotFound();
            if (await Refusal.CheckAsync(policy, audit, http.User, place.Repository, place.Environment, GovernedAction.Cancel, $"deployment #{id}") is { } refused)
                return refused;
            await deployer.CancelAsync(id, http.User.Identity!.Name!);
            var back = http.Request.Headers.Referer.ToString();
            return Results.Redirect(Uri.TryCreate(back, UriKind.Absolute, out var u) ? u.PathAndQuery : $"/deployments/{id}");
        });

        app.MapGet("/deployments/{id:long}/events", async (long id, HttpContext http, BatouDb db, LiveHub hub, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime) =>
        {
            if (!await db.Deployments.AnyAsync(d => d.Id == id)) return Results.NotFound();
            var after = int.TryParse(http.Request.Headers["Last-Event-ID"], out var l) ? l
                : int.TryParse(http.Request.Query["after"], out var a) ? a : 0;
            // the stream also ends when the dashboard stops (a follower resumes with Last-Event-ID): an open stream would
            // hold the shutdown for its whole timeout
            var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            http.Response.RegisterForDispose(ends);
            return TypedResults.ServerSentEvents(Stream(id, after, hub, scopes, ends.Token));
        });

        app.MapGet("/deployments/{id:long}/log.txt", async (long id, HttpContext http, BatouDb db) =>
        {
            if (!await db.Deployments.AnyAsync(d => d.Id == id)) return Results.NotFound();
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"deployment-{id}.log\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
            await foreach (var json in db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id).OrderBy(e => e.Seq).Select(e => e.Json).AsAsyncEnumerable())
                if (LogFormatter.Text(EventJson.Deserialize(json)) is { Length: > 0 } line) await writer.WriteLineAsync(line);
            return Results.Empty;
        });
    }

    /// <summary>
    /// Events after <paramref name="after"/>: from memory while the deployment runs here, else from the database;
    /// ends with a <c>status</c> event carrying the final status. <c>id</c> is the event number, so a reconnecting
    /// EventSource resumes with <c>Last-Event-ID</c>.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> Stream(long id, int after, LiveHub hub, IServiceScopeFactory scopes, [EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var live = hub.Subscribe(id, after);
            if (live is not null)
            {
                var batch = new MessageBatch();
                while (await Wait(live, ct))
                    while (live.Reader.TryRead(out var e))
                    {
                        if (!batch.Add(e) && live.Reader.TryPeek(out _)) continue;
                        after = e.Seq;
                        yield return batch.Take();
                    }
                if (ct.IsCancellationRequested) yield break;
                yield return new SseItem<string>(live.FinalStatus ?? DeploymentStatus.Failed, "status");
                yield break;
            }
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            var status = await db.Deployments.Where(d => d.Id == id).Select(d => d.Status).FirstAsync(CancellationToken.None);
            if (DeploymentStatus.IsFinal(status))
            {
                while (true)
                {
                    var page = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id && e.Seq > after)
                        .OrderBy(e => e.Seq).Take(2000).Select(e => new LiveEvent(e.Seq, e.Type, e.Json)).ToListAsync(CancellationToken.None);
                    if (page.Count == 0) break;
                    var batch = new MessageBatch();
                    foreach (var e in page)
                        if (batch.Add(e)) yield return batch.Take();
                    if (batch.Count > 0) yield return batch.Take();
                    after = page[^1].Seq;
                }
                yield return new SseItem<string>(status, "status");
                yield break;
            }
            if (status == DeploymentStatus.Queued) yield return new SseItem<string>(status, "queued");
            try
            {
                await Task.Delay(300, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static async Task<bool> Wait(LiveSubscription live, CancellationToken ct)
    {
        try
        {
            return await live.Reader.WaitToReadAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// At most this many events, and about this much text, travel in one SSE message: each connection builds its
    /// own message, and one under 85 KB stays off the large object heap (200 watchers of a burst otherwise doubled
    /// the dashboard's peak memory, bench/results/2026-11-22-web-sse-paced.md).
    /// </summary>
    private const int MaxPerMessage = 500, MaxCharsPerMessage = 30_000;

    /// <summary>Events gathered for one message; <see cref="Add"/> says when the message is full.</summary>
    private sealed class MessageBatch
    {
        private readonly List<LiveEvent> _events = new(MaxPerMessage);
        private int _chars;

        public int Count => _events.Count;

        public bool Add(LiveEvent e)
        {
            _events.Add(e);
            _chars += e.SseData.Length + 1;
            return _events.Count >= MaxPerMessage || _chars >= MaxCharsPerMessage;
        }

        public SseItem<string> Take()
        {
            var message = Message(_events);
            _events.Clear();
            _chars = 0;
            return message;
        }
    }

    /// <summary>
    /// One event as an <c>ev</c> message, or several that were waiting as one <c>evs</c> message (a JSON array):
    /// a burst of log lines costs the server one write and the browser one dispatch per batch, not per line.
    /// The id is the last event's number, so <c>Last-Event-ID</c> resumes after the whole batch.
    /// </summary>
    private static SseItem<string> Message(IReadOnlyList<LiveEvent> events)
    {
        var id = events[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (events.Count == 1) return new SseItem<string>(events[0].SseData, "ev") { EventId = id };
        var data = new StringBuilder("[", events.Sum(e => e.SseData.Length + 1) + 1);
        for (var i = 0; i < events.Count; i++) data.Append(i == 0 ? "" : ",").Append(events[i].SseData);
        return new SseItem<string>(data.Append(']').ToString(), "evs") { EventId = id };
    }
}
