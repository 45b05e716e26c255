using System.Threading.Channels;
using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Deployments;

/// <summary>
/// Stores the events of one deployment in batches: whatever arrived since the last write goes in one
/// transaction (at most every 200 ms), never one insert per log line.
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

    private async Task LoopAsync()
    {
        var batch = new List<LiveEvent>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < 5000 && _pending.Reader.TryRead(out var e)) batch.Add(e);
            await WriteAsync(batch);
            batch.Clear();
            await Task.Delay(200);
        }
    }

    private async Task WriteAsync(List<LiveEvent> batch)
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync();
        db.DeploymentEvents.AddRange(batch.Select(e => new DeploymentEventEntity { DeploymentId = _deploymentId, Seq = e.Seq, Type = e.Type, Json = e.Json }));
        await db.SaveChangesAsync();
        var last = batch[^1].Seq;
        await db.Deployments.Where(d => d.Id == _deploymentId).ExecuteUpdateAsync(s => s.SetProperty(d => d.EventCount, last));
        await tx.CommitAsync();
        Batches++;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }
}
