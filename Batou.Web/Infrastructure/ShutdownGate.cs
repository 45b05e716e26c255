namespace Batou.Web.Infrastructure;

/// <summary>
/// A stopping dashboard takes no new long-lived connection. When the host starts stopping, SignalR closes every
/// circuit's connection, and a browser's Blazor client reconnects at once: Kestrel still listens at that moment, so the
/// reconnect was accepted, nothing closed it again, and the host waited its whole shutdown timeout (30 s) for it and
/// then ended with an unhandled exception. From the stopping signal on, WebSocket requests and the circuit endpoint
/// get 503 (the client shows its reconnect dialog and retries until the dashboard is back); everything else is served.
/// </summary>
internal static class ShutdownGate
{
    /// <summary>The middleware for <paramref name="lifetime"/>'s stopping signal (read once, not per request).</summary>
    public static Func<HttpContext, RequestDelegate, Task> For(IHostApplicationLifetime lifetime)
    {
        var stopping = lifetime.ApplicationStopping;
        return (context, next) =>
        {
            if (!stopping.IsCancellationRequested || !(context.WebSockets.IsWebSocketRequest || context.Request.Path.StartsWithSegments("/_blazor")))
                return next(context);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.Connection = "close";
            context.Response.Headers.RetryAfter = "5";
            return Task.CompletedTask;
        };
    }
}
