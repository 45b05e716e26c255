namespace Batou.Web.Governance.Repositories;

/// <summary>Body of <c>POST /api/repos/{name}/remove</c>: the repository's name again, as the dialog asks for it.</summary>
public sealed record ApiRemoveRepository(string? Confirm);

public static class RepositoryRemovalEndpoints
{
    /// <summary><c>POST /api/repos/{name}/remove</c> (JSON): 204 when removed, 403 for non-administrators, 409 with the reason otherwise.</summary>
    public static void MapRepositoryRemovalEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/repos/{name}/remove", async (string name, ApiRemoveRepository body, HttpContext http, RepositoryRemoval removal, IAccessPolicy access) =>
        {
            if (!await access.CanAsync(http.User, name, "*", GovernedAction.Administer))
            {
                await removal.RemoveAsync(http.User, name, body.Confirm ?? "", http.Connection.RemoteIpAddress?.ToString());   // audits the refusal
                return Results.Problem(statusCode: 403, detail: $"{http.User.Identity?.Name} may not remove {name}: that needs the role admin.");
            }
            return await removal.RemoveAsync(http.User, name, body.Confirm ?? "", http.Connection.RemoteIpAddress?.ToString()) switch
            {
                null => Results.NoContent(),
                var why when why.StartsWith("There is no repository", StringComparison.Ordinal) => Results.Problem(statusCode: 404, detail: why),
                var why when why.StartsWith("Type the", StringComparison.Ordinal) => Results.Problem(statusCode: 400, detail: why),
                var why => Results.Problem(statusCode: 409, detail: why),
            };
        });
}
