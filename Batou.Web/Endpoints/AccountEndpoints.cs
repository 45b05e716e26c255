using Batou.Web.Governance;
using Batou.Web.Governance.Identity;
using Batou.Web.Infrastructure;
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
    /// <summary>The rate-limiter policy of the sign-in form (per client address).</summary>
    public const string SignInLimit = "sign-in";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/setup", async ([FromForm] SetupForm form, FirstRun firstRun, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, IAuditTrail audit) =>
        {
            if (form.Password != form.Confirm) return Results.Redirect("/setup?error=" + Uri.EscapeDataString("The passwords do not match."));
            // exactly one administrator, however many set-up requests arrive at once
            var created = await firstRun.CreateFirstUserAsync(form.UserName.Trim(), form.Password, users);
            if (created.User is null)
                return created.Error is null ? Results.Redirect("/account/login") : Results.Redirect("/setup?error=" + Uri.EscapeDataString(created.Error));
            await signIn.SignInAsync(created.User, isPersistent: true);
            await audit.RecordAsync(new AuditRecord(AuditActions.UserCreated, created.User.UserName, Target: created.User.UserName, After: "admin (first account)"));
            return Results.Redirect("/");
        }).AllowAnonymous();

        app.MapPost("/account/login", async ([FromForm] SignInForm form, SignInManager<IdentityUser> signIn, IAuditTrail audit) =>
        {
            // a wrong password counts towards the lockout (Identity's lockout options); a locked account says nothing more
            var name = form.UserName.Trim();
            var result = await signIn.PasswordSignInAsync(name, form.Password, isPersistent: true, lockoutOnFailure: true);
            // every attempt is audited under the name that was typed (never the password)
            await audit.RecordAsync(new AuditRecord(result.Succeeded ? AuditActions.SignInSucceeded : result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed,
                name, Detail: result.IsNotAllowed ? "account disabled" : null));
            var back = LocalUrl.OrHome(form.ReturnUrl);
            return result.Succeeded ? Results.Redirect(back) : Results.Redirect("/account/login?error=1&returnUrl=" + Uri.EscapeDataString(back));
        }).AllowAnonymous().RequireRateLimiting(SignInLimit);

        app.MapPost("/account/logout", async (HttpContext http, SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users, IAuditTrail audit) =>
        {
            // a new security stamp ends every session of this user, also copies of this cookie
            if (await users.GetUserAsync(http.User) is { } user)
            {
                await users.UpdateSecurityStampAsync(user);
                await audit.RecordAsync(new AuditRecord(AuditActions.SignOut, user.UserName));
            }
            await signIn.SignOutAsync();
            return Results.Redirect("/account/login");
        });
    }
}
