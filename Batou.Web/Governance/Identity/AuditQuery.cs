using System.Globalization;
using System.Text;
using Batou.Web.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Identity;

/// <summary>What the audit page and its CSV export filter by; empty means "any". Times are UTC, <c>To</c> exclusive.</summary>
public sealed record AuditFilter(string? User = null, string? Environment = null, string? Action = null, DateTime? FromUtc = null, DateTime? ToUtc = null)
{
    public static AuditFilter FromQuery(IQueryCollection q) => new(q["user"], q["env"], q["action"], ParseTime(q["from"]), ParseTime(q["to"]));

    public static DateTime? ParseTime(string? s) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}

/// <summary>
/// Reads the audit trail newest first. Every filter is an equality on an indexed column followed by time and id
/// (or a range on the time index), so a page is an index range scan however long the trail; counts stop at
/// <see cref="CountLimit"/> so the pager never counts a million rows.
/// </summary>
public static class AuditQuery
{
    public const int CountLimit = 10_000;

    public static IQueryable<AuditEntryEntity> Filtered(BatouDb db, AuditFilter f)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (Clean(f.User) is { } user) q = q.Where(e => e.User == user);
        if (Clean(f.Environment) is { } env) q = q.Where(e => e.Environment == env);
        if (Clean(f.Action) is { } action) q = q.Where(e => e.Action == action);
        if (f.FromUtc is { } from) q = q.Where(e => e.AtUtc >= from);
        if (f.ToUtc is { } to) q = q.Where(e => e.AtUtc < to);
        return q;
    }

    public static async Task<(List<AuditEntryEntity> Items, int Total)> PageAsync(BatouDb db, AuditFilter f, int page, int size, CancellationToken ct = default)
    {
        var q = Filtered(db, f);
        var total = await q.Take(CountLimit + 1).CountAsync(ct);
        var items = await q.OrderByDescending(e => e.AtUtc).ThenByDescending(e => e.Id).Skip(page * size).Take(size).ToListAsync(ct);
        return (items, total);
    }

    /// <summary>The CSV export, written as it is read (never the whole trail in memory).</summary>
    public static async Task WriteCsvAsync(BatouDb db, AuditFilter f, Stream output, CancellationToken ct)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024);
        await w.WriteLineAsync("id,at_utc,action,user,address,repository,environment,target,before,after,detail");
        await foreach (var e in Filtered(db, f).OrderByDescending(e => e.AtUtc).ThenByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            await w.WriteLineAsync(string.Join(',', e.Id.ToString(CultureInfo.InvariantCulture), e.AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                Csv(e.Action), Csv(e.User), Csv(e.Address), Csv(e.Repository), Csv(e.Environment), Csv(e.Target), Csv(e.Before), Csv(e.After), Csv(e.Detail)));
        }
    }

    /// <summary>RFC 4180 quoting, and a leading <c>'</c> before = + - @ so a spreadsheet never runs a cell as a formula.</summary>
    internal static string Csv(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        if (s[0] is '=' or '+' or '-' or '@' or '\t' or '\r') s = "'" + s;
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
