using Batou.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Batou.Web.Endpoints;

public sealed class SignInForm
{
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    public string? ReturnUrl { get; set; }
}

public sealed class SetupForm
{
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    public string Confirm { get; set; } = "";
}

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/setup", async ([FromForm] SetupForm form, FirstRun firstRun, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn) =>
        {
            if (await firstRun.HasUsersAsync()) return Results.Redirect("/account/login");
            if (form.Password != form.Confirm) return Results.Redirect("/setup?error=" + Uri.EscapeDataString("The passwords do not match."));
            var user = new IdentityUser(form.UserName.Trim());
            var result = await users.CreateAsync(user, form.Password);
            if (!result.Succeeded)
                return Results.Redirect("/setup?error=" + Uri.EscapeDataString(string.Join(" ", result.Errors.Select(e => e.Description))));
            await signIn.SignInAsync(user, isPersistent: true);
            return Results.Redirect("/");
        }).AllowAnonymous();

        app.MapPost("/account/login", async ([FromForm] SignInForm form, SignInManager<IdentityUser> signIn) =>
        {
            var result = await signIn.PasswordSignInAsync(form.UserName.Trim(), form.Password, isPersistent: true, lockoutOnFailure: false);
            var back = form.ReturnUrl is { Length: > 1 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
            return result.Succeeded ? Results.Redirect(back) : Results.Redirect("/account/login?error=1&returnUrl=" + Uri.EscapeDataString(back));
        }).AllowAnonymous();

        app.MapPost("/account/logout", async (SignInManager<IdentityUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/account/login");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
    }
}
