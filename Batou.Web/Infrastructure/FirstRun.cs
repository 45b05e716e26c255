using Batou.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Infrastructure;

/// <summary>Until the first account exists, every request is sent to <c>/setup</c> to create the administrator.</summary>
public sealed class FirstRun(IServiceScopeFactory scopes)
{
    private readonly SemaphoreSlim _setup = new(1, 1);
    private volatile bool _hasUsers;

    public async Task<bool> HasUsersAsync()
    {
        if (_hasUsers) return true;
        using var scope = scopes.CreateScope();
        return _hasUsers = await scope.ServiceProvider.GetRequiredService<BatouDb>().Users.AnyAsync();
    }

    /// <summary>
    /// Creates the administrator unless an account exists: set-up requests are taken one at a time and each looks at
    /// the database again, so ten at once create one account. No user and no error means someone else was first.
    /// </summary>
    public async Task<(IdentityUser? User, string? Error)> CreateFirstUserAsync(string name, string password, UserManager<IdentityUser> users)
    {
        await _setup.WaitAsync();
        try
        {
            _hasUsers = false;
            if (await HasUsersAsync()) return (null, null);
            var user = new IdentityUser(name);
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded) return (null, string.Join(" ", result.Errors.Select(e => e.Description)));
            _hasUsers = true;
            return (user, null);
        }
        finally
        {
            _setup.Release();
        }
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
