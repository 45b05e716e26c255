using Batou.Web.Deployments;
using Microsoft.AspNetCore.Antiforgery;
using Batou.Web.Git;
using Batou.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Batou.Web.Endpoints;

public sealed class AddRepositoryForm
{
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
}

public sealed class DeployForm
{
    public string Environment { get; set; } = "";
    public string Commit { get; set; } = "";
    public string? Branch { get; set; }
    public bool Predict { get; set; }
    public int? Jobs { get; set; }
}

public static class RepositoryEndpoints
{
    public static void MapRepositoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/repos", async ([FromForm] AddRepositoryForm form, RepositoryCatalog catalog) =>
        {
            var name = form.Name.Trim();
            if (!RepositoryNames.IsValid(name) || string.IsNullOrWhiteSpace(form.Url))
                return Results.Redirect("/?error=" + Uri.EscapeDataString("A repository needs a name (letters, digits, '-', '_', '.') and a URL or path."));
            if (await catalog.FindAsync(name) is not null)
                return Results.Redirect("/?error=" + Uri.EscapeDataString($"There is already a repository named {name}."));
            await catalog.AddAsync(name, form.Url.Trim());
            return Results.Redirect($"/repos/{name}");
        });

        app.MapPost("/repos/{name}/fetch", async (string name, RepositoryCatalog catalog) =>
        {
            if (await catalog.FindAsync(name) is null) return Results.NotFound();
            await catalog.FetchAsync(name);
            return Results.Redirect($"/repos/{name}");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());

        app.MapPost("/repos/{name}/deploy", async (string name, [FromForm] DeployForm form, HttpContext http, RepositoryCatalog catalog, ModelCache models, DeploymentQueue queue) =>
        {
            var repo = await catalog.FindAsync(name);
            if (repo is null) return Results.NotFound();
            var commit = await catalog.ResolveAsync(repo, string.IsNullOrWhiteSpace(form.Commit) ? form.Branch ?? "HEAD" : form.Commit);
            if (commit is null) return Results.NotFound();
            if (!(await models.EnvironmentsAsync(repo, commit.Hash)).Contains(form.Environment)) return Results.NotFound();
            var jobs = form.Jobs is > 0 and <= 64 ? form.Jobs : null;
            var id = await queue.EnqueueAsync(new DeployCommand(repo, form.Environment, commit, form.Branch, form.Predict, jobs, http.User.Identity!.Name!));
            return Results.Redirect($"/deployments/{id}");
        });
    }
}

public static class FragmentEndpoints
{
    public static void MapFragmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fragments/activity", () => new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<Batou.Web.Components.Shared.Activity>());
    }
}
