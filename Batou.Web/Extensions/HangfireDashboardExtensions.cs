using Batou.Web.Infrastructure;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Batou.Web.Extensions;

public static class HangfireDashboardExtensions
{
    public static IServiceCollection AddBatouAdminPolicy(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, AdminHandler>();
        services.AddScoped<UserManager<IdentityUser>, BatouUserManager>();   // after AddIdentityCore: this one wins
        services.AddAuthorizationBuilder().AddPolicy(AdminRequirement.Policy, p => p.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()));
        return services;
    }

    /// <summary>Hangfire's own dashboard at /hangfire, for administrators only (ASP.NET Core authorization, not Hangfire's filters).</summary>
    public static IEndpointConventionBuilder MapBatouHangfireDashboard(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AsyncAuthorization = [], DisplayStorageConnectionString = false, AppPath = "/" })
            .RequireAuthorization(AdminRequirement.Policy);
}
