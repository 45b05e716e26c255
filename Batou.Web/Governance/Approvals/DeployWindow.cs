using System.Globalization;
using System.Text.RegularExpressions;

namespace Batou.Web.Governance.Approvals;

/// <summary>Whether deployments may start now, and why not.</summary>
public sealed record WindowState(bool Open, string Reason);

/// <summary>
/// Deploy windows and freezes of one environment, in wall-clock time of an IANA time zone. The instant is converted
/// to local time with <see cref="TimeZoneInfo"/>, so "Mon-Fri 09:00-17:00 Europe/Berlin" means 09:00 in Berlin in
/// winter and in summer (DST-safe); a freeze is a local range "2026-12-24 00:00 to 2026-12-27 00:00".
/// </summary>
public sealed partial class DeployWindow
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private readonly TimeZoneInfo _zone;
    private readonly List<(bool[] Days, TimeSpan From, TimeSpan To, string Text)> _windows = [];
    private readonly List<(DateTime From, DateTime To, string Text)> _freezes = [];

    private DeployWindow(TimeZoneInfo zone) => _zone = zone;

    public string ZoneId => _zone.Id;

    /// <summary>Parses a policy's windows and freezes; the error names the part that is wrong.</summary>
    public static (DeployWindow? Window, string? Error) Parse(string timeZone, string windows, string freezes)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim(), out var zone))
            return (null, $"Unknown time zone \"{timeZone}\": use an IANA id such as Europe/Berlin or UTC.");
        var w = new DeployWindow(zone);
        foreach (var part in Split(windows))
        {
            var m = WindowPattern().Match(part);
            if (!m.Success) return (null, $"Deploy window \"{part}\" is not like \"Mon-Fri 09:00-17:00\".");
            var days = new bool[7];
            foreach (var range in m.Groups["days"].Value.Split(','))
            {
                var ends = range.Split('-');
                var a = Array.IndexOf(Days, ends[0].Trim().ToLowerInvariant()[..Math.Min(3, ends[0].Trim().Length)]);
                var b = ends.Length > 1 ? Array.IndexOf(Days, ends[1].Trim().ToLowerInvariant()[..Math.Min(3, ends[1].Trim().Length)]) : a;
                if (a < 0 || b < 0 || ends.Length > 2) return (null, $"Deploy window \"{part}\": unknown day in \"{range}\" (Mon, Tue, … Sun).");
                for (var d = a; ; d = (d + 1) % 7)
                {
                    days[d] = true;
                    if (d == b) break;
                }
            }
            if (!TryTime(m.Groups["from"].Value, out var from) || !TryTime(m.Groups["to"].Value, out var to) || to <= from)
                return (null, $"Deploy window \"{part}\": the times must be HH:mm with the start before the end (24:00 ends a day).");
            w._windows.Add((days, from, to, part));
        }
        foreach (var part in Split(freezes))
        {
            var m = FreezePattern().Match(part);
            if (!m.Success
                || !DateTime.TryParseExact(m.Groups["from"].Value, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !DateTime.TryParseExact(m.Groups["to"].Value, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                || to <= from)
                return (null, $"Freeze \"{part}\" is not like \"2026-12-24 00:00 to 2026-12-27 00:00\" (start before end).");
            w._freezes.Add((from, to, part));
        }
        return (w, null);
    }

    public WindowState At(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, _zone).DateTime;
        foreach (var f in _freezes)
            if (local >= f.From && local < f.To) return new(false, $"Frozen: {f.Text} ({_zone.Id}).");
        if (_windows.Count == 0) return new(true, "No deploy window: deployments may start at any time.");
        var day = (int)local.DayOfWeek;
        foreach (var w in _windows)
            if (w.Days[day] && local.TimeOfDay >= w.From && local.TimeOfDay < w.To) return new(true, $"Inside the deploy window {w.Text} ({_zone.Id}).");
        return new(false, $"Outside the deploy windows {string.Join("; ", _windows.Select(x => x.Text))} ({_zone.Id}; it is {local:ddd HH:mm} there).");
    }

    private static bool TryTime(string s, out TimeSpan t)
    {
        if (s == "24:00") { t = TimeSpan.FromHours(24); return true; }
        return TimeSpan.TryParseExact(s, @"hh\:mm", CultureInfo.InvariantCulture, out t);
    }

    private static IEnumerable<string> Split(string text) =>
        (text ?? "").Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^(?<days>[A-Za-z]{3,9}(\s*-\s*[A-Za-z]{3,9})?(\s*,\s*[A-Za-z]{3,9}(\s*-\s*[A-Za-z]{3,9})?)*)\s+(?<from>\d\d:\d\d)\s*-\s*(?<to>\d\d:\d\d)$")]
    private static partial Regex WindowPattern();

    [GeneratedRegex(@"^(?<from>\d{4}-\d\d-\d\d \d\d:\d\d)\s+to\s+(?<to>\d{4}-\d\d-\d\d \d\d:\d\d)$")]
    private static partial Regex FreezePattern();
}
