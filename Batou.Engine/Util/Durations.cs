using System.Globalization;

namespace Batou.Engine.Util;

/// <summary>Durations as people write them (<c>90</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>250ms</c>, <c>00:05:00</c>) and as batou prints them.</summary>
public static class Durations
{
    /// <summary>The longest <c>timeout</c> (and <c>-t</c>): every timer API takes it (int milliseconds).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(24);

    /// <summary>A duration; NaN, infinities, negative values and values beyond <see cref="TimeSpan"/> are a <see cref="FormatException"/>.</summary>
    public static TimeSpan Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return FromSeconds(text, seconds);
        foreach (var (suffix, unit) in new[] { ("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0), ("d", 86400.0) })
            if (t.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return FromSeconds(text, n * unit);
        if (TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span))
            return span < TimeSpan.Zero ? throw new FormatException($"`{text}` is negative; a duration cannot be") : span;
        throw new FormatException($"`{text}` is not a duration (examples: 90, 30s, 5m, 1h, 00:05:00)");
    }

    /// <summary>A <c>timeout</c>: a duration above zero and at most <see cref="MaxTimeout"/>.</summary>
    public static TimeSpan ParseTimeout(string text)
    {
        var span = Parse(text);
        if (span <= TimeSpan.Zero || span > MaxTimeout)
            throw new FormatException($"`{text}` is out of range: a timeout is above 0 and at most {MaxTimeout.TotalDays:0}d");
        return span;
    }

    /// <summary>The grace after a cancel before running commands are killed when nobody set <c>cancel_grace</c>.</summary>
    public static readonly TimeSpan DefaultCancelGrace = TimeSpan.FromSeconds(30);

    /// <summary>A <c>cancel_grace</c>: from zero (kill at once) to <see cref="MaxTimeout"/>.</summary>
    public static TimeSpan ParseCancelGrace(string text)
    {
        var span = Parse(text);
        if (span > MaxTimeout)
            throw new FormatException($"`{text}` is out of range: a grace period is at most {MaxTimeout.TotalDays:0}d");
        return span;
    }

    /// <summary>The longest <c>ssh_warm</c>: a warm agent is for a working session, not a daemon.</summary>
    public static readonly TimeSpan MaxWarm = TimeSpan.FromHours(24);

    /// <summary>An <c>ssh_warm</c> (and <c>--warm</c>): zero (off) to <see cref="MaxWarm"/>, whole seconds.</summary>
    public static TimeSpan ParseWarm(string text)
    {
        var span = Parse(text);
        if (span > MaxWarm)
            throw new FormatException($"`{text}` is out of range: ssh_warm is at most {MaxWarm.TotalHours:0}h");
        return TimeSpan.FromSeconds(Math.Ceiling(span.TotalSeconds));
    }

    private static TimeSpan FromSeconds(string text, double seconds)
    {
        if (!double.IsFinite(seconds)) throw new FormatException($"`{text}` is not a finite duration");
        if (seconds < 0) throw new FormatException($"`{text}` is negative; a duration cannot be");
        if (seconds >= TimeSpan.MaxValue.TotalSeconds) throw new FormatException($"`{text}` is out of range for a duration");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>batou's format: <c>1.23s</c>, <c>1m1s</c>, <c>∅</c> for a step that did not run.</summary>
    public static string Format(TimeSpan? span)
    {
        if (span is not { } s) return "∅";
        if (s.TotalSeconds < 60) return s.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s";
        return $"{(int)s.TotalMinutes}m{s.Seconds}s";
    }
}
