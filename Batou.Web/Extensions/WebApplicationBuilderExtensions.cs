using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Endpoints;
using Batou.Web.Git;
using Batou.Web.Governance.Tokens;
using Batou.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using MudBlazor.Services;

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

        var database = DatabaseSettings.Read(builder.Configuration, data);
        services.AddSingleton(database);
        // a factory for the interactive pages (a circuit outlives any one operation) and a scoped context for the rest
        services.AddDbContextFactory<BatouDb>(o =>
        {
            BatouDbOptions.Configure(o, database.Provider, database.ConnectionString);
            if (database.Provider == DatabaseProvider.Sqlite) o.AddInterceptors(new SqlitePragmas());
        }, ServiceLifetime.Scoped);
        builder.AddBatouIdentity();
        builder.AddBatouJobs(data, database);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddAntiforgery();
        services.AddApiDocument();
        services.AddSingleton<RepositoryCatalog>();
        // describing and deploying run repository code in a child process with limits (docs/engine-process.md)
        // fingerprints of resolved configurations (what approvals are bound to) use one salt per installation
        var engineOptions = Batou.Web.Engine.DashboardEngineOptions.Read(builder.Configuration);
        var salt = SecretSalt.Read(builder.Configuration, data);   // one read: the engine's fingerprints and the webhook secrets' key
        // created by the container, so the container disposes it at shutdown: every engine process, pooled ones included, is killed
        services.AddSingleton(_ => new Batou.Engine.Api.EngineProcess(engineOptions with { SecretSalt = salt }));
        services.AddHostedService<Batou.Web.Engine.EngineStarter>();
        // governance seams (docs/governance.md): who may do what, the audit trail, outgoing notifications
        // roles, narrowed to a token's scope for requests made with an API token
        services.AddSingleton<Batou.Web.Governance.Identity.RoleAccessPolicy>();
        services.AddSingleton<Batou.Web.Governance.IAccessPolicy>(sp =>
            new Batou.Web.Governance.Tokens.TokenScopedAccessPolicy(sp.GetRequiredService<Batou.Web.Governance.Identity.RoleAccessPolicy>()));
        services.AddScoped<Batou.Web.Governance.Identity.PageAccess>();
        services.AddSingleton<Batou.Web.Governance.Identity.UserAdmin>();
        services.AddSingleton<Batou.Web.Governance.IAuditTrail, Batou.Web.Governance.Identity.DatabaseAuditTrail>();
        // outgoing webhooks (docs/governance.md): stored deliveries, signed and retried by a background worker
        services.AddOptions<Batou.Web.Governance.Webhooks.WebhookOptions>().Bind(builder.Configuration.GetSection("Batou:Webhooks")).ValidateOnStart();
        services.AddSingleton(new Batou.Web.Governance.Webhooks.WebhookSecrets(salt));
        services.AddSingleton<Batou.Web.Governance.Webhooks.WebhookSignal>();
        services.AddSingleton<Batou.Web.Governance.INotifier, Batou.Web.Governance.Webhooks.WebhookNotifier>();
        services.AddSingleton<Batou.Web.Governance.Webhooks.WebhookAdmin>();
        services.AddHostedService<Batou.Web.Governance.Webhooks.WebhookDispatcher>();
        services.AddSingleton<ModelCache>();
        services.AddScoped<Batou.Web.Governance.Compare.ComparisonResolver>();
        services.AddSingleton<LiveHub>();
        services.AddSingleton<Batou.Web.Live.ActivityFeed>();
        services.AddSingleton<Batou.Web.Live.DeploymentLogs>();
        // several processes on PostgreSQL: live updates of deployments running in another one (docs/dashboard.md)
        if (database.Provider == DatabaseProvider.Postgres) services.AddHostedService<Batou.Web.Live.CrossProcess.PostgresLiveBridge>();
        services.AddScoped<Deployer>();
        services.AddSingleton<Batou.Web.Governance.Approvals.ApprovalDbs>();
        services.AddSingleton<Batou.Web.Governance.Approvals.PolicyStore>();
        services.AddSingleton<Batou.Web.Governance.Approvals.ApprovalGate>();
        services.AddSingleton<Batou.Web.Governance.Approvals.ApprovalDesk>();
        services.AddSingleton<Batou.Web.Governance.Approvals.RequestRecorder>();
        services.AddSingleton<Batou.Web.Governance.Retry.RetryPlanner>();
        services.AddSingleton<Batou.Web.Governance.Repositories.RepositoryRemoval>();
        services.AddSingleton<FirstRun>();
        Batou.Web.Ssh.SshServices.AddDashboardSsh(builder);
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
        // the cookie for people; Authorization: Bearer on /api/* for personal API tokens (docs/governance.md)
        var authentication = builder.Services.AddAuthentication(Batou.Web.Governance.Tokens.ApiTokenDefaults.Selector);
        authentication.AddIdentityCookies();
        authentication.AddBatouApiTokens(builder.Configuration);
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
            // a signed-in user without the right gets a 403 (the status page), not a redirect to a page that does not exist
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        // every page but sign-in requires a user
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>
    /// Deployments run as Hangfire jobs (SQLite storage in the data folder, or PostgreSQL next to the database);
    /// the deployment rows decide what runs (<see cref="DeploymentLeases"/>), Hangfire only executes.
    /// </summary>
    private static void AddBatouJobs(this WebApplicationBuilder builder, string data, DatabaseSettings database)
    {
        var services = builder.Services;
        services.AddSingleton<DeploymentLeases>();
        services.AddSingleton<DeploymentQueue>();
        services.AddSingleton<DeploymentRunner>();
        services.AddTransient<EnvironmentDeploymentJob>();
        services.AddBatouAdminPolicy();
        // migrations and recovery before the job server takes anything (hosted services start in this order)
        services.AddHostedService<StartupService>();
        services.AddHostedService<LeaseKeeper>();
        services.AddHostedService<Batou.Web.Governance.Approvals.ApprovalExpiry>();
        // a job stays invisible to other workers this long after it was fetched: far beyond any deployment, since a
        // re-run is harmless (it finds nothing to claim) but useless; a dead process's deployment is found by its lease
        var invisible = TimeSpan.FromDays(1);
        services.AddHangfire(cfg =>
        {
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.Postgres)
                cfg.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    InvisibilityTimeout = invisible,
                    PrepareSchemaIfNecessary = true,
                });
            else
                cfg.UseSQLiteStorage(Path.Combine(data, "hangfire.db"), new SQLiteStorageOptions
                {
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    InvisibilityTimeout = invisible,
                });
        });
        var workers = builder.Configuration.GetValue("Batou:Deployments:Workers", 8);
        services.AddHangfireServer(o =>
        {
            o.ServerName = $"batou-{Environment.MachineName}-{Environment.ProcessId}";
            o.WorkerCount = Math.Clamp(workers, 1, 100);
            o.Queues = [EnvironmentDeploymentJob.Queue];
            // on stop the jobs' token is cancelled: the running deployment ends after its current component (interrupted)
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
        });
    }
}

/// <summary><c>Database:Provider</c> (Sqlite, the default, or Postgres) and <c>ConnectionStrings:Batou</c>.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseSettings Read(IConfiguration configuration, string dataDirectory)
    {
        var name = configuration["Database:Provider"];
        var connection = configuration.GetConnectionString("Batou");
        if (string.IsNullOrWhiteSpace(name) || name.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            return new(DatabaseProvider.Sqlite, string.IsNullOrWhiteSpace(connection) ? $"Data Source={Path.Combine(dataDirectory, "batou-web.db")}" : connection);
        if (!name.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !name.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Database:Provider is '{name}'; use Sqlite or Postgres.");
        if (string.IsNullOrWhiteSpace(connection))
            throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Batou is empty (e.g. \"Host=127.0.0.1;Port=5432;Username=batou;Password=…;Database=batou\").");
        return new(DatabaseProvider.Postgres, connection);
    }
}
