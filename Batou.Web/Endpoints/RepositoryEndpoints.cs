using Batou.Web.Deployments;
using Batou.Web.Git;
using Batou.Web.Governance;
using Batou.Web.Governance.Identity;
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
        app.MapPost("/repos", async ([FromForm] AddRepositoryForm form, HttpContext http, RepositoryCatalog catalog, IAuditTrail audit, IAccessPolicy policy) =>
        {
            var name = form.Name.Trim();
            // adding a repository is an administrator's action, like removing one (403 and access.denied otherwise)
            if (await Refusal.CheckAsync(policy, audit, http.User, RepositoryNames.IsValid(name) ? name : "*", "*", GovernedAction.Administer, "add repository") is { } refused)
                return refused;
            if (!RepositoryNames.IsValid(name) || string.IsNullOrWhiteSpace(form.Url))
                return Results.Redirect("/?error=" + Uri.EscapeDataString("A repository needs a name (letters, digits, '-', '_', '.') and a URL or path."));
            if (await catalog.FindAsync(name) is not null)
                return Results.Redirect("/?error=" + Uri.EscapeDataString($"There is already a repository named {name}."));
            await catalog.AddAsync(name, form.Url.Trim());
            await audit.RecordAsync(new AuditRecord(AuditActions.RepositoryAdded, http.User.Identity?.Name, Repository: name, After: RedactedUrl(form.Url.Trim())));
            return Results.Redirect($"/repos/{name}");
        });

        app.MapPost("/repos/{name}/fetch", async (string name, HttpContext http, RepositoryCatalog catalog, IAuditTrail audit) =>
        {
            if (await catalog.FindAsync(name) is null) return Results.NotFound();
            await catalog.FetchAsync(name);
            await audit.RecordAsync(new AuditRecord(AuditActions.RepositoryFetched, http.User.Identity?.Name, Repository: name));
            return Results.Redirect($"/repos/{name}");
        });

        // the form post (scripts and browsers without the circuit); pages deploy through the circuit
        app.MapPost("/repos/{name}/deploy", async (string name, [FromForm] DeployForm form, HttpContext http, Deployer deployer, IAccessPolicy policy, IAuditTrail audit) =>
        {
            if (await Refusal.CheckAsync(policy, audit, http.User, name, form.Environment, form.Predict ? GovernedAction.Preview : GovernedAction.Deploy) is { } refused)
                return refused;
            var jobs = form.Jobs is > 0 and <= 64 ? form.Jobs : null;
            var outcome = await deployer.RequestAsync(new DeployRequest(name, form.Environment, form.Commit, form.Branch, form.Predict, jobs, http.User.Identity!.Name!));
            return outcome.Id is { } id ? Results.Redirect($"/deployments/{id}")
                : outcome.NotFound ? Results.NotFound(outcome.Error) : Results.BadRequest(outcome.Error);
        });
    }

    /// <summary>A URL as the audit trail keeps it: without a password in its user part (https://user:secret@host/…).</summary>
    internal static string RedactedUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.UserInfo.Contains(':') ? url.Replace(u.UserInfo, u.UserInfo[..u.UserInfo.IndexOf(':')] + ":********") : url;
}
