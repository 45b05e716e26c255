using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Infrastructure;

/// <summary>Until the first account exists, every request is sent to <c>/setup</c> to create the administrator.</summary>
public sealed class FirstRun(IServiceScopeFactory scopes)
{
    private volatile bool _hasUsers;

    public async Task<bool> HasUsersAsync()
    {
        if (_hasUsers) return true;
        using var scope = scopes.CreateScope();
        return _hasUsers = await scope.ServiceProvider.GetRequiredService<BatouDb>().Users.AnyAsync();
    }

    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var open = path.StartsWithSegments("/setup") || path.StartsWithSegments("/account/setup") || path.StartsWithSegments("/lib")
                   || path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/favicon.svg")
                   || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content");
        if (!open && !await context.RequestServices.GetRequiredService<FirstRun>().HasUsersAsync())
        {
            context.Response.Redirect("/setup");
            return;
        }
        await next(context);
    }
}
