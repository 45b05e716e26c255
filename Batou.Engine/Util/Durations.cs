using System.Globalization;

namespace Batou.Engine.Util;

/// <summary>Durations as people write them (<c>90</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>250ms</c>, <c>00:05:00</c>) and as batou prints them.</summary>
public static class Durations
{
    public static TimeSpan Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        foreach (var (suffix, unit) in new[] { ("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0), ("d", 86400.0) })
            if (t.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return TimeSpan.FromSeconds(n * unit);
        if (TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span)) return span;
        throw new FormatException($"`{text}` is not a duration (examples: 90, 30s, 5m, 1h, 00:05:00)");
    }

    /// <summary>batou's format: <c>1.23s</c>, <c>1m1s</c>, <c>∅</c> for a step that did not run.</summary>
    public static string Format(TimeSpan? span)
    {
        if (span is not { } s) return "∅";
        if (s.TotalSeconds < 60) return s.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s";
        return $"{(int)s.TotalMinutes}m{s.Seconds}s";
    }
}
