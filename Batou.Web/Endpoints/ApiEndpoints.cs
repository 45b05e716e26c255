using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Git;
using Batou.Web.Governance;
using Batou.Web.Governance.Identity;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Endpoints;

/// <summary>A deploy request for machines: <c>POST /api/repos/{name}/deployments</c> with a JSON body.</summary>
/// <param name="Override">An administrator starts outside the environment's window (break-glass): <paramref name="OverrideReason"/> is required.</param>
public sealed record ApiDeployRequest(string Environment, string? Commit = null, string? Branch = null, bool Predict = false, int? Jobs = null,
    bool Override = false, string? OverrideReason = null);

public sealed record ApiDeployment(long Id, string Repository, string Environment, string Commit, string? Branch, string Mode, string Status,
    bool Cancelling, string RequestedBy, string? CancelledBy, DateTime RequestedUtc, DateTime? StartedUtc, DateTime? FinishedUtc,
    int EventCount, int ErrorCount, int ChangedCount);

public sealed record ApiEvent(int Seq, string Type, System.Text.Json.JsonElement Event);

/// <summary>
/// The JSON API (docs/dashboard.md): deploy, read a deployment's status and its events, cancel. A personal API token
/// (<c>Authorization: Bearer</c>) or the signed-in cookie like every page (the fallback policy); with the cookie, state
/// changes accept only <c>application/json</c> bodies, which a cross-site form cannot send. Described at
/// <c>/openapi/v1.json</c> (<see cref="ApiDocument"/>).
/// </summary>
public static class ApiEndpoints
{
    public static void MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("deployments").ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/repos/{name}/deployments", async (string name, ApiDeployRequest body, HttpContext http, RepositoryCatalog catalog,
            Deployer deployer, BatouDb db, IAuditTrail audit, IAccessPolicy policy) =>
        {
            if (await catalog.FindAsync(name) is null) return Problem(404, $"no repository {name}");
            if (await Refusal.CheckAsync(policy, audit, http.User, name, body.Environment ?? "", body.Predict ? GovernedAction.Preview : GovernedAction.Deploy) is { } refused)
                return refused;
            if (string.IsNullOrWhiteSpace(body.Environment)) return Problem(404, $"no environment '' in {name}");
            var overriding = body.Override || body.OverrideReason is not null;
            if (overriding && await Refusal.CheckAsync(policy, audit, http.User, name, body.Environment, GovernedAction.Administer, "window override") is { } notAdmin)
                return notAdmin;
            // the same path as the pages: the environment's policy (window, promote-from, approvals) applies to the API too
            var outcome = await deployer.RequestAsync(new DeployRequest(name, body.Environment, body.Commit ?? "", body.Branch, body.Predict, body.Jobs,
                http.User.Identity!.Name!, overriding ? body.OverrideReason ?? "" : null));
            if (outcome.Id is not { } id)
                return Problem(outcome.NotFound ? 404 : outcome.WindowClosed ? 409 : 400, outcome.Error!);
            var created = await ReadAsync(db, id);
            return outcome.AwaitingApproval ? Results.Accepted($"/api/deployments/{id}", created) : Results.Created($"/api/deployments/{id}", created);
        }).WithName("RequestDeployment").WithSummary("Request a deployment (or a preview with predict: true) of one environment")
            .WithDescription("201: queued. 202: waits for approvals (the environment's policy). 409: outside the deploy window.")
            .Produces<ApiDeployment>(StatusCodes.Status201Created).Produces<ApiDeployment>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/deployments/{id:long}", async (long id, HttpContext http, BatouDb db, IAuditTrail audit, IAccessPolicy policy) =>
        {
            if (await ReadAsync(db, id) is not { } d) return Problem(404, $"no deployment {id}");
            return await Refusal.CheckAsync(policy, audit, http.User, d.Repository, d.Environment, GovernedAction.View, $"deployment #{id}") ?? Results.Ok(d);
        }).WithName("GetDeployment").WithSummary("A deployment's status")
            .Produces<ApiDeployment>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/deployments/{id:long}/events", async (long id, string? after, string? limit, HttpContext http, BatouDb db, IAuditTrail audit, IAccessPolicy policy) =>
        {
            if (!int.TryParse(after ?? "0", out var a) || a < 0) return Problem(400, "after must be a non-negative event number");
            if (!int.TryParse(limit ?? "1000", out var l) || l is < 1 or > 10_000) return Problem(400, "limit must be between 1 and 10000");
            if (await DeploymentPlace.FindAsync(db, id) is not { } place) return Problem(404, $"no deployment {id}");
            if (await Refusal.CheckAsync(policy, audit, http.User, place.Repository, place.Environment, GovernedAction.View, $"deployment #{id}") is { } refused)
                return refused;
            var rows = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id && e.Seq > a).OrderBy(e => e.Seq).Take(l)
                .Select(e => new { e.Seq, e.Type, e.Json }).ToListAsync();
            return Results.Ok(rows.Select(r => new ApiEvent(r.Seq, r.Type, System.Text.Json.JsonDocument.Parse(r.Json).RootElement)));
        }).WithName("GetDeploymentEvents").WithSummary("The stored events after event number 'after' (default 0), at most 'limit' (default 1000, up to 10000)")
            .Produces<ApiEvent[]>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/deployments/{id:long}/cancel", async (long id, HttpContext http, DeploymentQueue queue, BatouDb db, IAuditTrail audit, IAccessPolicy policy) =>
        {
            var (place, refused) = await MayCancelAsync(id, http, db, audit, policy);
            if (refused is not null) return refused;
            var accepted = await queue.CancelAsync(id, http.User.Identity!.Name!);
            await audit.RecordAsync(new AuditRecord(AuditActions.CancelRequested, http.User.Identity.Name, Repository: place!.Repository, Environment: place.Environment,
                Target: $"deployment #{id}", Detail: accepted ? "(api)" : "already finished (api)"));
            return accepted ? Results.Ok(await ReadAsync(db, id)) : Problem(409, $"deployment {id} has already finished");
        }).WithName("CancelDeployment").WithSummary("Cancel a queued or running deployment")
            .Produces<ApiDeployment>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        // a cancelled deployment still running: kill its running commands now instead of when the grace period ends
        api.MapPost("/deployments/{id:long}/stop-now", async (long id, HttpContext http, DeploymentQueue queue, BatouDb db, IAuditTrail audit, IAccessPolicy policy) =>
        {
            var (place, refused) = await MayCancelAsync(id, http, db, audit, policy);
            if (refused is not null) return refused;
            var accepted = await queue.StopNowAsync(id);
            await audit.RecordAsync(new AuditRecord(AuditActions.StopNowRequested, http.User.Identity!.Name, Repository: place!.Repository, Environment: place.Environment,
                Target: $"deployment #{id}", Detail: accepted ? "(api)" : "not cancelling (api)"));
            return accepted ? Results.Ok(await ReadAsync(db, id)) : Problem(409, $"deployment {id} is not running or was not cancelled");
        }).WithName("StopDeploymentNow").WithSummary("Kill the running commands of a cancelled deployment now instead of after its grace period")
            .Produces<ApiDeployment>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>
    /// What cancel and stop-now check before acting: with the cookie a JSON body is the cross-site guard (a bearer token
    /// needs none: FormProtection), the deployment exists, and the caller may cancel in its environment (refusals audited).
    /// Either the deployment's place or the response that refuses.
    /// </summary>
    private static async Task<(DeploymentPlace? Place, IResult? Refused)> MayCancelAsync(long id, HttpContext http, BatouDb db, IAuditTrail audit, IAccessPolicy policy)
    {
        if (!http.Request.HasJsonContentType() && !Governance.Tokens.ApiTokenDefaults.IsBearerRequest(http.Request))
            return (null, Problem(415, "send Content-Type: application/json"));
        if (await DeploymentPlace.FindAsync(db, id) is not { } place) return (null, Problem(404, $"no deployment {id}"));
        return (place, await Refusal.CheckAsync(policy, audit, http.User, place.Repository, place.Environment, GovernedAction.Cancel, $"deployment #{id}"));
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    private static async Task<ApiDeployment?> ReadAsync(BatouDb db, long id) =>
        await (from d in db.Deployments.AsNoTracking()
               join r in db.Repositories on d.RepositoryId equals r.Id into rs
               from r in rs.DefaultIfEmpty()
               where d.Id == id
               select new ApiDeployment(d.Id, r == null ? "" : r.Name, d.Environment, d.Commit, d.Branch, d.Mode, d.Status,
                   d.Status == DeploymentStatus.Running && d.CancelledBy != null, d.RequestedBy, d.CancelledBy, d.RequestedUtc, d.StartedUtc, d.FinishedUtc,
                   d.EventCount, d.ErrorCount, d.ChangedCount)).FirstOrDefaultAsync();
}
