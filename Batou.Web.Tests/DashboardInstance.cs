using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Batou.Web.Tests;

/// <summary>
/// A dashboard of its own over the fixture's git repository, with a data directory that can outlive it:
/// stop it and start another one on the same directory to test what a restart does.
/// </summary>
public sealed class DashboardInstance : IAsyncDisposable
{
    private readonly DashboardFixture _app;
    public string DataDir { get; }
    public BatouFactory Factory { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    private DashboardInstance(DashboardFixture app, string dataDir)
    {
        _app = app;
        DataDir = dataDir;
    }

    /// <summary>
    /// Starts a dashboard; without <paramref name="dataDir"/> on a fresh data directory. <paramref name="settings"/> go over
    /// <see cref="DashboardFixture.TestDefaults"/>; a null value takes a setting away (the dashboard's own default applies).
    /// </summary>
    public static DashboardInstance Start(DashboardFixture app, string? dataDir = null, Dictionary<string, string?>? settings = null,
        Action<Microsoft.AspNetCore.Hosting.IWebHostBuilder>? configure = null)
    {
        var instance = new DashboardInstance(app, dataDir ?? Path.Combine(app.Root, "data-" + Guid.NewGuid().ToString("n")[..8]));
        var all = new Dictionary<string, string>(DashboardFixture.TestDefaults)
        {
            ["Batou:DataDirectory"] = instance.DataDir,
            ["Batou:Repositories:0:Name"] = "example",
            ["Batou:Repositories:0:Url"] = app.RepoDir,
        };
        foreach (var (k, v) in settings ?? [])
            if (v is null) all.Remove(k);
            else all[k] = v;
        instance.Factory = new BatouFactory(all, configure);
        instance.Factory.UseKestrel(0);
        instance.Factory.StartServer();
        instance.BaseUrl = instance.Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        return instance;
    }

    public HttpClient NewClient() =>
        Factory.CreateClient(new() { AllowAutoRedirect = true, HandleCookies = true, BaseAddress = new Uri(BaseUrl) });

    /// <summary>A signed-in client; the first call creates the admin of this data directory.</summary>
    public async Task<HttpClient> SignedInClientAsync(string user = DashboardFixture.User, string password = DashboardFixture.Password)
    {
        var client = NewClient();
        var setup = await client.GetStringAsync("/setup");
        if (setup.Contains("create-admin", StringComparison.Ordinal))
            await DashboardFixture.PostFormAsync(client, "/setup", "/account/setup", new() { ["UserName"] = user, ["Password"] = password, ["Confirm"] = password });
        else
            await DashboardFixture.PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = user, ["Password"] = password });
        var home = await client.GetAsync("/deployments");
        Assert.Equal("/deployments", home.RequestMessage!.RequestUri!.AbsolutePath);   // signed in
        return client;
    }

    /// <summary>Adds a local account (the dashboard has no page for that yet).</summary>
    /// <summary>A further account; with <paramref name="role"/> it holds that role everywhere (without one it is a viewer).</summary>
    public async Task CreateUserAsync(string user, string password, string? role = null)
    {
        using var scope = Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
        var result = await users.CreateAsync(new Microsoft.AspNetCore.Identity.IdentityUser(user), password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        if (role is null) return;
        var db = scope.ServiceProvider.GetRequiredService<Batou.Web.Data.BatouDb>();
        db.RoleAssignments.Add(new Batou.Web.Data.RoleAssignmentEntity { UserName = user, Role = role, CreatedUtc = DateTime.UtcNow, CreatedBy = "tests" });
        await db.SaveChangesAsync();
    }

    /// <summary>Deploys (or previews) through the form; returns the new deployment's id.</summary>
    public static async Task<string> DeployAsync(HttpClient client, string environment, string commit, bool predict = false)
    {
        var response = await DashboardFixture.PostFormAsync(client, $"/repos/example/at/{commit}/env/{environment}", "/repos/example/deploy",
            new() { ["Environment"] = environment, ["Commit"] = commit, ["Predict"] = predict ? "true" : "false" });
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.Matches("^/deployments/[0-9]+$", path);
        return path.Split('/')[^1];
    }

    /// <summary>Polls the raw log until it contains <paramref name="text"/> (bounded).</summary>
    public static async Task<string> WaitForLogAsync(HttpClient client, string id, string text)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        string log;
        do
        {
            log = await client.GetStringAsync($"/deployments/{id}/log.txt");
            if (log.Contains(text, StringComparison.Ordinal)) return log;
            await Task.Delay(100);
        } while (DateTime.UtcNow < until);
        throw new TimeoutException($"deployment {id} never logged \"{text}\":\n{log}");
    }

    /// <summary>Waits until this dashboard has begun shutting down (bounded).</summary>
    public async Task WaitForSchedulerShutdownAsync()
    {
        var stopping = Factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!stopping.IsCancellationRequested)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the scheduler did not shut down");
            await Task.Delay(20);
        }
    }

    /// <summary>A connection to the dashboard database (use while no dashboard runs on it, or read-only).</summary>
    public static SqliteConnection OpenDb(string dataDir)
    {
        var c = new SqliteConnection($"Data Source={Path.Combine(dataDir, "batou-web.db")};Pooling=False");
        c.Open();
        return c;
    }

    public static object? Scalar(SqliteConnection db, string sql, params (string Name, object Value)[] args)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return cmd.ExecuteScalar();
    }

    public static int Execute(SqliteConnection db, string sql, params (string Name, object Value)[] args)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Hangfire keeps one process-wide log provider, set by the host built last: after this instance is gone it would
    /// point at a disposed LoggerFactory and the shared dashboard's next job creation would fail, so it goes back to
    /// the shared dashboard's.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(
            _app.Factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
    }
}
