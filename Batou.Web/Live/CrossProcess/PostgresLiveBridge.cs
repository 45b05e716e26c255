using System.Threading.Channels;
using Batou.Web.Extensions;
using Npgsql;

namespace Batou.Web.Live.CrossProcess;

/// <summary>
/// With <c>Database:Provider=Postgres</c> several dashboard processes share the work: a deployment runs in one of them,
/// its page may be open in another. This bridge carries the live view across: status changes published on this
/// process's <see cref="ActivityFeed"/> go out as <c>NOTIFY</c>, and notifications from the others come in — status
/// changes are republished here, committed events make <see cref="DeploymentLogs"/> read the new rows from the database
/// (coalesced per deployment). SQLite (one process) does not use it.
/// </summary>
internal sealed class PostgresLiveBridge(DatabaseSettings database, ActivityFeed feed, DeploymentLogs logs, ILogger<PostgresLiveBridge> log) : BackgroundService
{
    private readonly string _origin = Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<string> _outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var subscription = feed.Subscribe(change =>
        {
            if (!change.Remote) _outgoing.Writer.TryWrite(LiveChannel.Status(_origin, change.Id, change.Status));
        });
        await Task.WhenAll(ListenAsync(ct), SendAsync(ct));
    }

    /// <summary>One connection that listens; a lost one is opened again, and every followed log catches up (it may have missed something).</summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {LiveChannel.Name}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                logs.FollowRemote = true;
                logs.RemoteCatchUpAll();
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                log.LogWarning(e, "Listening for live updates of other dashboard processes failed; trying again");
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Receive(string payload)
    {
        switch (LiveChannel.Parse(payload))
        {
            case LiveChannel.EventsCommitted e:
                logs.RemoteEvents(e.Id, e.Seq);
                break;
            case LiveChannel.StatusChanged s when s.Origin != _origin:
                // a final status: first the log takes the last events, then the pages look (and find it complete)
                _ = Task.Run(async () =>
                {
                    try
                    {
                        if (Deployments.DeploymentStatus.IsFinal(s.Status)) await logs.RemoteFinishedAsync(s.Id);
                        feed.Publish(s.Id, s.Status, remote: true);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        log.LogWarning(e, "A live update of deployment {Id} from another dashboard process failed", s.Id);
                    }
                });
                break;
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        await using var source = NpgsqlDataSource.Create(database.ConnectionString);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(ct))
                while (_outgoing.Reader.TryRead(out var payload))
                {
                    try
                    {
                        await using var notify = source.CreateCommand("SELECT pg_notify($1, $2)");
                        notify.Parameters.Add(new NpgsqlParameter { Value = LiveChannel.Name });
                        notify.Parameters.Add(new NpgsqlParameter { Value = payload });
                        await notify.ExecuteNonQueryAsync(ct);
                    }
                    catch (NpgsqlException e)
                    {
                        log.LogWarning(e, "Announcing a deployment change to other dashboard processes failed");
                    }
                }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
