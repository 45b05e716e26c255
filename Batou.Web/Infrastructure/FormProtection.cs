using Microsoft.AspNetCore.Antiforgery;

namespace Batou.Web.Infrastructure;

/// <summary>
/// Every state-changing request carries a valid antiforgery token, whatever its content type: ASP.NET Core's own
/// check only looks at form posts, so a bodiless POST (cancel, fetch, sign-out) went through. A missing or wrong
/// token is a 400 with the status page, never a 500. Exempt: the Blazor circuit (<c>/_blazor</c>, protected by its
/// own handshake), the Hangfire dashboard (its own token), API requests with a bearer token, and JSON bodies (a browser cannot send
/// <c>application/json</c> across sites without a CORS preflight, which this app never allows).
/// </summary>
internal static class FormProtection
{
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        if (NeedsToken(context.Request))
        {
            // the framework's antiforgery middleware may have looked already (endpoints that bind forms): use its verdict
            var valid = context.Features.Get<IAntiforgeryValidationFeature>() is { } checkedBefore
                ? checkedBefore.IsValid
                : await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
            if (!valid)
            {
                // answered here: re-executing the status page would run the (failed) form validation again and throw
                if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(BadRequestPage);
                return;
            }
        }
        await next(context);
    }

    private const string BadRequestPage = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bad request · batou</title>"
        + "<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><div class=\"auth-page\"><main class=\"auth-main\"><div class=\"auth-card\" id=\"status-page\">"
        + "<h1 class=\"auth-title\">Bad request</h1><p class=\"auth-hint\">This form was older than your session or came from another site. "
        + "Reload the page and try again.</p><a class=\"auth-button\" href=\"/\">Back to repositories</a></div></main></div></body></html>";

    private static bool NeedsToken(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        && !request.Path.StartsWithSegments("/_blazor")
        && !request.Path.StartsWithSegments("/hangfire")
        // authenticated by an API token alone (the selector ignores the cookie): nothing ambient a cross-site request could ride on
        && !Batou.Web.Governance.Tokens.ApiTokenDefaults.IsBearerRequest(request)
        && !(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false);
}
