using System.Globalization;

namespace Batou.Web.Live.CrossProcess;

/// <summary>
/// The PostgreSQL notification channel that connects dashboard processes sharing one database (docs/dashboard.md,
/// "Live across processes"). Two kinds of payload, both short and free of anything secret:
/// <c>e|id|seq</c> — events of deployment <c>id</c> up to <c>seq</c> are committed (sent inside the writing transaction,
/// so it arrives only once they can be read); <c>s|origin|id|status</c> — a status change published on the activity
/// feed of process <c>origin</c>.
/// </summary>
public static class LiveChannel
{
    public const string Name = "batou_live";

    public static string Events(long id, int seq) => string.Create(CultureInfo.InvariantCulture, $"e|{id}|{seq}");

    public static string Status(string origin, long id, string status) => string.Create(CultureInfo.InvariantCulture, $"s|{origin}|{id}|{status}");

    public abstract record Message;
    public sealed record EventsCommitted(long Id, int Seq) : Message;
    public sealed record StatusChanged(string Origin, long Id, string Status) : Message;

    /// <summary>Null for anything else (another version's payload is ignored, not fatal).</summary>
    public static Message? Parse(string payload)
    {
        var parts = payload.Split('|');
        return parts switch
        {
            ["e", var id, var seq] when long.TryParse(id, CultureInfo.InvariantCulture, out var i) && int.TryParse(seq, CultureInfo.InvariantCulture, out var s)
                => new EventsCommitted(i, s),
            ["s", var origin, var id, var status] when long.TryParse(id, CultureInfo.InvariantCulture, out var i) => new StatusChanged(origin, i, status),
            _ => null,
        };
    }
}
