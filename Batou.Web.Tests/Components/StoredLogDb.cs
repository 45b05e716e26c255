using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Batou.Web.Tests.Components;

/// <summary>
/// A real, migrated database (a SQLite file, or a throwaway PostgreSQL database named in BATOU_TEST_PG) holding
/// finished deployments, and the dashboard's <see cref="DeploymentLogs"/> reading them.
/// </summary>
internal sealed class StoredLogDb : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _file;

    private StoredLogDb(ServiceProvider services, string? file)
    {
        _services = services;
        _file = file;
        Hub = new LiveHub(new ActivityFeed(NullLogger<ActivityFeed>.Instance));
        Logs = new DeploymentLogs(Hub, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<DeploymentLogs>.Instance);
    }

    public LiveHub Hub { get; }

    public DeploymentLogs Logs { get; }

    public static async Task<StoredLogDb> CreateAsync(DatabaseProvider provider)
    {
        string? file = null;
        string cs;
        if (provider == DatabaseProvider.Sqlite)
        {
            file = Path.Combine(Path.GetTempPath(), $"batou-stored-log-{Guid.NewGuid():n}.db");
            cs = $"Data Source={file};Pooling=False";
        }
        else cs = await PostgresQueueTests.CreateDatabaseAsync("batou_stored_log_" + Guid.NewGuid().ToString("n")[..8]);
        var services = new ServiceCollection().AddDbContext<BatouDb>(o => BatouDbOptions.Configure(o, provider, cs)).BuildServiceProvider();
        using (var scope = services.CreateScope()) await scope.ServiceProvider.GetRequiredService<BatouDb>().Database.MigrateAsync();
        return new StoredLogDb(services, file);
    }

    /// <summary>
    /// A finished deployment of <paramref name="lines"/> events: started, a root scheduled, lines of which every 7th is
    /// command output, the root finished, the end. Returns its id and the seqs of its command output.
    /// </summary>
    public async Task<(long Id, HashSet<int> Output)> SeedAsync(int lines)
    {
        using var scope = _services.CreateScope();
        return await SeedAsync(scope.ServiceProvider.GetRequiredService<BatouDb>(), lines, 1, "big", new string('a', 40));
    }

    /// <inheritdoc cref="SeedAsync(int)"/>
    public static async Task<(long Id, HashSet<int> Output)> SeedAsync(BatouDb db, int lines, int repositoryId, string environment, string commit)
    {
        var d = new DeploymentEntity
        {
            RepositoryId = repositoryId, Environment = environment, Commit = commit, Mode = DeploymentModes.Deploy, Status = DeploymentStatus.Succeeded,
            RequestedBy = "test", RequestedUtc = DateTime.UtcNow, StartedUtc = DateTime.UtcNow, FinishedUtc = DateTime.UtcNow, EventCount = lines,
        };
        db.Deployments.Add(d);
        await db.SaveChangesAsync();
        var output = new HashSet<int>();
        var events = new List<DeploymentEvent> { new DeploymentStarted(environment, DeploymentMode.Deploy, "0.1.0", 1), new RootScheduled("localhost", "chatty") };
        for (var i = 1; events.Count < lines - 2; i++)
        {
            if (i % 7 == 0)
            {
                output.Add(events.Count + 1);
                events.Add(new CommandOutput("localhost", "Chatty", "stdout", $"output {i}"));
            }
            else events.Add(new LogLine(i % 5 == 0 ? "web2" : "localhost", "Chatty", $"chatty line {i}"));
        }
        events.Add(new RootFinished("localhost", "chatty", true, TimeSpan.FromSeconds(1)));
        events.Add(new DeploymentFinished(true, DeploymentMode.Deploy, null, 0, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        db.DeploymentEvents.AddRange(events.Select((e, i) => new DeploymentEventEntity
            { DeploymentId = d.Id, Seq = i + 1, Type = e.GetType().Name, Json = EventJson.Serialize(e) }));
        await db.SaveChangesAsync();
        return (d.Id, output);
    }

    public async ValueTask DisposeAsync()
    {
        Logs.Dispose();
        await _services.DisposeAsync();
        if (_file is not null) File.Delete(_file);
    }
}
