using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Git;
using Batou.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Quartz;

namespace Batou.Web.Extensions;

public static class WebApplicationBuilderExtensions
{
    public static WebApplicationBuilder AddBatouWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BatouWebOptions>().Bind(builder.Configuration.GetSection("Batou")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BatouWebOptions>, ValidateBatouWebOptions>();
        var data = Path.GetFullPath(builder.Configuration["Batou:DataDirectory"] ?? ".batou-web");
        Directory.CreateDirectory(data);

        // a factory for the interactive pages (a circuit outlives any one operation) and a scoped context for the rest
        services.AddDbContextFactory<BatouDb>(o => o
            .UseSqlite($"Data Source={Path.Combine(data, "batou-web.db")}", s => s.MigrationsAssembly(typeof(BatouDb).Assembly.GetName().Name))
            .AddInterceptors(new SqlitePragmas()), ServiceLifetime.Scoped);
        builder.AddBatouIdentity();
        builder.AddBatouJobs(data);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddAntiforgery();
        services.AddSingleton<RepositoryCatalog>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<LiveHub>();
        services.AddSingleton<Batou.Web.Live.ActivityFeed>();
        services.AddSingleton<Batou.Web.Live.DeploymentLogs>();
        services.AddScoped<Deployer>();
        services.AddSingleton<DeploymentQueue>();
        services.AddSingleton<DeploymentRunner>();
        services.AddSingleton<FirstRun>();
        services.AddHostedService<StartupService>();
        services.AddHostedService<RepositoryFetcher>();
        return builder;
    }

    private static void AddBatouIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<IdentityUser>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
                // five wrong passwords lock an account for five minutes
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddEntityFrameworkStores<BatouDb>()
            .AddSignInManager();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        // the security stamp is checked on every request: signing out, a new password or a disabled account end
        // every session at once; open circuits are checked again every minute (RevalidatingAuthentication)
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingAuthentication>();
        // sign-in attempts per client address: Batou:SignInAttemptsPerMinute (10), then 429
        var attempts = builder.Configuration.GetValue("Batou:SignInAttemptsPerMinute", 10);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Batou.Web.Endpoints.AccountEndpoints.SignInLimit, http => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, attempts), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.Cookie.Name = "batou.auth";
            o.ExpireTimeSpan = TimeSpan.FromDays(7);
            o.SlidingExpiration = true;
        });
        // every page but sign-in requires a user
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    private static void AddBatouJobs(this WebApplicationBuilder builder, string data)
    {
        builder.Services.AddQuartz(q =>
        {
            q.UsePersistentStore(s =>
            {
                s.UseSqlite($"Data Source={Path.Combine(data, "quartz.db")}");
                s.ProvisionSchema();
                s.UseSystemTextJsonSerializer();
            });
            q.UseDefaultThreadPool(8);
            // stopping cancels the jobs' token: the running deployment ends after its current component (interrupted)
            // and the queued ones stay queued for the next start, instead of the shutdown draining every queue
            q.ConfigureScheduler(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}
