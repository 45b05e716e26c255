namespace Batou.Web.Infrastructure;

/// <summary>
/// Response headers that keep the dashboard out of frames and other sites' scripts. The Content-Security-Policy
/// allows no inline script (Blazor and MudBlazor need none; the import map is not rendered for that reason);
/// inline styles stay allowed because MudBlazor's theme provider writes a &lt;style&gt; element; 'wasm-unsafe-eval'
/// lets Graphviz (viz.js, WebAssembly) lay out the dependency graph. The Hangfire dashboard gets no CSP
/// (it uses inline script); HSTS is sent over https only.
/// </summary>
internal static class SecurityHeaders
{
    public const string Policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                                 + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                                 + "form-action 'self'; frame-ancestors 'none'";

    public static Task Middleware(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            if (!context.Request.Path.StartsWithSegments("/hangfire")) headers.ContentSecurityPolicy = Policy;
            if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
