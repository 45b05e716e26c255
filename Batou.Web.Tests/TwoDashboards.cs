using Npgsql;

namespace Batou.Web.Tests;

/// <summary>
/// Two dashboard processes on one fresh PostgreSQL database (the admin created through the first), for the tests of
/// what one process shows of a deployment the other runs.
/// </summary>
internal sealed class TwoDashboards : IAsyncDisposable
{
    private TwoDashboards(string connectionString, DashboardProcess one, DashboardProcess two, HttpClient client) =>
        (ConnectionString, One, Two, Client) = (connectionString, one, two, client);

    public string ConnectionString { get; }
    public DashboardProcess One { get; }
    public DashboardProcess Two { get; }
    /// <summary>Signed in as the admin on <see cref="One"/>.</summary>
    public HttpClient Client { get; }

    public static async Task<TwoDashboards> StartAsync(DashboardFixture app, string prefix)
    {
        var database = prefix + Guid.NewGuid().ToString("n")[..8];
        var cs = await PostgresQueueTests.CreateDatabaseAsync(database);
        var settings = new Dictionary<string, string> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Batou"] = cs };
        var one = await DashboardProcess.StartAsync(app, Path.Combine(app.Root, database + "-1"), settings);
        try
        {
            var two = await DashboardProcess.StartAsync(app, Path.Combine(app.Root, database + "-2"), settings);
            try
            {
                return new TwoDashboards(cs, one, two, await one.SignedInClientAsync());   // creates the admin in the shared database
            }
            catch
            {
                await two.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await one.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process that does not run deployment <paramref name="id"/> (the other one holds its lease).</summary>
    public async Task<DashboardProcess> NotRunningAsync(long id)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT split_part(\"LeaseOwner\", ':', 2)::int FROM deployments WHERE \"Id\" = {id}";
        return (int)(await cmd.ExecuteScalarAsync())! == One.Pid ? Two : One;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Two.DisposeAsync();
        await One.DisposeAsync();
    }
}
