using Batou.Engine.Api;
using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Live.Stored;

/// <summary>
/// Opens a finished deployment's log at its tail: the seqs of its lines (index only), every state event (the
/// <c>(DeploymentId, Type, Seq)</c> index) and the last <see cref="HeldRows"/> rows of both views, instead of reading
/// and formatting every event. Older rows are read by seq range when a reader pages up (<see cref="StoredLog"/>).
/// </summary>
public static class StoredLogReader
{
    /// <summary>Rows of each view kept in memory: at least what the prerendered page shows (<c>LogLines</c>: 500).</summary>
    public const int HeldRows = 512;

    private const string Output = nameof(CommandOutput);

    private static readonly string[] StateTypeNames = [.. DeploymentLog.StateTypes.Select(t => t.Name)];

    /// <summary>Opens <paramref name="log"/> at its tail; false (nothing read) when it is small enough to read whole.</summary>
    public static async Task<bool> TryOpenAtTailAsync(BatouDb db, IServiceScopeFactory scopes, DeploymentLog log, CancellationToken ct)
    {
        var id = log.Id;
        var events = db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id);
        var all = await events.OrderBy(e => e.Seq).Select(e => e.Seq).ToArrayAsync(ct);
        if (all.Length <= 2 * HeldRows) return false;
        var output = await events.Where(e => e.Type == Output).OrderBy(e => e.Seq).Select(e => e.Seq).ToArrayAsync(ct);
        var plain = StoredLog.Without(all, output);
        var tailFrom = all[^HeldRows];
        var plainFrom = plain.Length > HeldRows ? plain[^HeldRows] : plain.Length > 0 ? plain[0] : tailFrom;
        var held = await Read(events.Where(e => e.Seq >= tailFrom), ct);
        if (plainFrom < tailFrom)
            held.InsertRange(0, await Read(events.Where(e => e.Seq >= plainFrom && e.Seq < tailFrom && e.Type != Output), ct));
        var first = Math.Min(tailFrom, plainFrom);
        var states = await Read(events.Where(e => e.Seq < first && StateTypeNames.Contains(e.Type)), ct);
        log.StartStored(new StoredLog(all, plain, (from, to, withOutput, token) => ReadRangeAsync(scopes, id, from, to, withOutput, token)), states, held);
        return true;
    }

    private static async Task<IReadOnlyList<(int Seq, DeploymentEvent Event)>> ReadRangeAsync(IServiceScopeFactory scopes, long id, int from, int to,
        bool output, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        var range = db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id && e.Seq >= from && e.Seq <= to);
        if (!output) range = range.Where(e => e.Type != Output);
        return await Read(range, ct);
    }

    private static async Task<List<(int Seq, DeploymentEvent Event)>> Read(IQueryable<DeploymentEventEntity> events, CancellationToken ct)
    {
        var result = new List<(int, DeploymentEvent)>();
        await foreach (var row in events.OrderBy(e => e.Seq).Select(e => new { e.Seq, e.Json }).AsAsyncEnumerable().WithCancellation(ct))
            result.Add((row.Seq, EventJson.Deserialize(row.Json)));
        return result;
    }
}
