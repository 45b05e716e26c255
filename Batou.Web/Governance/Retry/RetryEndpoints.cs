using Batou.Web.Deployments;
using Batou.Web.Governance.Identity;

namespace Batou.Web.Governance.Retry;

/// <summary>Optional JSON body of <c>POST /api/deployments/{id}/retry</c>: an administrator's reason to start outside the window.</summary>
public sealed record ApiRetryRequest(string? OverrideReason = null);

/// <summary>
/// <c>POST /api/deployments/{id}/retry</c>: "Retry failed" for machines. The same request the page makes (through
/// <see cref="Deployer"/>, so the environment's policy applies); 403 for anyone who may not deploy there.
/// </summary>
public static class RetryEndpoints
{
    public static void MapRetryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/deployments/{id:long}/retry", async (long id, ApiRetryRequest? body, HttpContext http, RetryPlanner planner, Deployer deployer, IAuditTrail audit,
            IAccessPolicy policy) =>
        {
            if (!http.Request.HasJsonContentType()) return Problem(415, "send Content-Type: application/json");
            if (await planner.PlanAsync(id) is not { } plan) return Problem(404, $"no deployment {id}");
            if (await Refusal.CheckAsync(policy, audit, http.User, plan.Repository.Name, plan.Original.Environment, GovernedAction.Deploy, $"deployment #{id}") is { } refused)
                return refused;
            if (body?.OverrideReason is not null
                && await Refusal.CheckAsync(policy, audit, http.User, plan.Repository.Name, plan.Original.Environment, GovernedAction.Administer, $"deployment #{id}") is { } notAdmin)
                return notAdmin;
            if (plan.Refusal is not null) return Problem(409, plan.Refusal);
            var outcome = await deployer.RequestAsync(plan.ToRequest(http.User.Identity!.Name!, body?.OverrideReason));
            if (outcome.Id is not { } created) return Problem(outcome.NotFound ? 404 : outcome.WindowClosed ? 409 : 400, outcome.Error!);
            var answer = new { id = created, retryOf = id, roots = plan.Whole ? plan.OriginalSelection : plan.Roots.Select(r => r.Selector).ToList(), awaitingApproval = outcome.AwaitingApproval };
            return outcome.AwaitingApproval ? Results.Accepted($"/api/deployments/{created}", answer) : Results.Created($"/api/deployments/{created}", answer);
        });
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
