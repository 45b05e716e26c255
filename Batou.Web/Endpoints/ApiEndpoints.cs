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
/// The JSON API (docs/dashboard.md): deploy, read a deployment's status and its events, cancel. Signed-in cookie
/// like every page (the fallback policy); state changes accept only <c>application/json</c> bodies, which a
/// cross-site form cannot send.
/// </summary>
public static class ApiEndpoints
{
    public static void MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

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
        });

        api.MapGet("/deployments/{id:long}", async (long id, BatouDb db) =>
            await ReadAsync(db, id) is { } d ? Results.Ok(d) : Problem(404, $"no deployment {id}"));

        api.MapGet("/deployments/{id:long}/events", async (long id, string? after, string? limit, BatouDb db) =>
        {
            if (!int.TryParse(after ?? "0", out var a) || a < 0) return Problem(400, "after must be a non-negative event number");
            if (!int.TryParse(limit ?? "1000", out var l) || l is < 1 or > 10_000) return Problem(400, "limit must be between 1 and 10000");
            if (!await db.Deployments.AnyAsync(d => d.Id == id)) return Problem(404, $"no deployment {id}");
            var rows = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id && e.Seq > a).OrderBy(e => e.Seq).Take(l)
                .Select(e => new { e.Seq, e.Type, e.Json }).ToListAsync();
            return Results.Ok(rows.Select(r => new ApiEvent(r.Seq, r.Type, System.Text.Json.JsonDocument.Parse(r.Json).RootElement)));
        });

        api.MapPost("/deployments/{id:long}/cancel", async (long id, HttpContext http, DeploymentQueue queue, BatouDb db, IAuditTrail audit, IAccessPolicy policy) =>
        {
            if (!http.Request.HasJsonContentType()) return Problem(415, "send Content-Type: application/json");
            if (await DeploymentPlace.FindAsync(db, id) is not { } place) return Problem(404, $"no deployment {id}");
            if (await Refusal.CheckAsync(policy, audit, http.User, place.Repository, place.Environment, GovernedAction.Cancel, $"deployment #{id}") is { } refused)
                return refused;
            var accepted = await queue.CancelAsync(id, http.User.Identity!.Name!);
            await audit.RecordAsync(new AuditRecord(AuditActions.CancelRequested, http.User.Identity.Name, Repository: place.Repository, Environment: place.Environment,
                Target: $"deployment #{id}", Detail: accepted ? "(api)" : "already finished (api)"));
            return accepted ? Results.Ok(await ReadAsync(db, id)) : Problem(409, $"deployment {id} has already finished");
        });
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
