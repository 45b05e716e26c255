using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Batou.Web.Deployments;

/// <summary>
/// Stores the events of one deployment in batches: whatever arrived since the last write goes in one
/// transaction, never one transaction per log line. A quiet deployment is written at most every 200 ms;
/// a chatty one (a full batch waiting) is drained without pausing, through one prepared INSERT, so the
/// writer keeps up with the engine (100,000 lines: bench/results/2026-11-22-web-log-100k.md).
/// </summary>
internal sealed class EventWriter : IAsyncDisposable
{
    private readonly Channel<LiveEvent> _pending = Channel.CreateUnbounded<LiveEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly long _deploymentId;
    private readonly Task _loop;

    public EventWriter(IServiceScopeFactory scopes, long deploymentId)
    {
        _scopes = scopes;
        _deploymentId = deploymentId;
        _loop = Task.Run(LoopAsync);
    }

    public int Batches { get; private set; }

    public void Add(LiveEvent e) => _pending.Writer.TryWrite(e);

    private const int MaxBatch = 5000;

    private async Task LoopAsync()
    {
        var batch = new List<LiveEvent>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var e)) batch.Add(e);
            await WriteAsync(batch);
            var full = batch.Count == MaxBatch;
            batch.Clear();
            if (!full) await Task.Delay(200);
        }
    }

    private async Task WriteAsync(List<LiveEvent> batch)
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx.GetDbTransaction();
            // quoted names and @parameters: the same statement for SQLite and PostgreSQL (Npgsql rewrites @name)
            insert.CommandText = "INSERT INTO deployment_events (\"DeploymentId\", \"Seq\", \"Type\", \"Json\") VALUES (@d, @s, @t, @j)";
            var (d, seq, type, json) = (Parameter(insert, "d", DbType.Int64), Parameter(insert, "s", DbType.Int32),
                Parameter(insert, "t", DbType.String), Parameter(insert, "j", DbType.String));
            d.Value = _deploymentId;
            await insert.PrepareAsync();
            foreach (var e in batch)
            {
                (seq.Value, type.Value, json.Value) = (e.Seq, e.Type, e.Json);
                await insert.ExecuteNonQueryAsync();
            }
        }
        var last = batch[^1].Seq;
        await db.Deployments.Where(x => x.Id == _deploymentId).ExecuteUpdateAsync(s => s.SetProperty(x => x.EventCount, last));
        // other dashboard processes on this PostgreSQL database learn of the rows when they are committed (Live/CrossProcess)
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Live.CrossProcess.LiveChannel.Name}, {Live.CrossProcess.LiveChannel.Events(_deploymentId, last)})");
        await tx.CommitAsync();
        Batches++;
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;   // PostgreSQL prepares with the types, before any value is set
        command.Parameters.Add(p);
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }
}
