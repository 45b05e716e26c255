using System.Text.Json.Nodes;

namespace SseWatchers;

/// <summary>The numbers web_report.py prints, from the arrival times of all watchers (milliseconds unless named _s).</summary>
internal static class Statistics
{
    private const double TicksPerMs = TimeSpan.TicksPerMillisecond;

    public static JsonObject Of(Watcher[] watchers, Shared shared, double rate, long release)
    {
        var lines = shared.Lines;
        var at = shared.At;
        var latencies = new List<double>(watchers.Sum(w => w.Received));
        var first = new List<double>(lines);
        var slowest = new List<(int Line, double FirstMs, double AtMs)>(lines);
        var spreads = new List<double>(lines);
        var tenths = Enumerable.Range(0, 10).Select(_ => new List<double>()).ToArray();
        long lastArrival = 0;
        for (var n = 1; n <= lines; n++)
        {
            if (at[n] == 0) continue;
            long min = long.MaxValue, max = 0;
            var tenth = tenths[(n - 1) * 10 / lines];
            foreach (var w in watchers)
            {
                var a = w.Arrival[n];
                if (a == 0) continue;
                var ms = (a - at[n]) / TicksPerMs;
                latencies.Add(ms);
                tenth.Add(ms);
                min = Math.Min(min, a);
                max = Math.Max(max, a);
            }
            first.Add((min - at[n]) / TicksPerMs);
            slowest.Add((n, (min - at[n]) / TicksPerMs, (at[n] - release) / TicksPerMs));
            spreads.Add((max - min) / TicksPerMs);
            lastArrival = Math.Max(lastArrival, max);
        }
        latencies.Sort();
        first.Sort();
        spreads.Sort();
        foreach (var t in tenths) t.Sort();

        // the emitter: when the engine stamped the lines, against the schedule line n at (n - 1) / rate
        var stamped = Enumerable.Range(1, lines).Where(n => at[n] != 0).ToArray();
        var slips = new List<double>();
        double? emitSeconds = null, emitRate = null;
        if (stamped.Length > 1)
        {
            var t0 = at[stamped[0]];
            emitSeconds = (at[stamped[^1]] - t0) / (double)TimeSpan.TicksPerSecond;
            emitRate = emitSeconds > 0 ? (stamped[^1] - stamped[0]) / emitSeconds : null;
            if (rate > 0)
                foreach (var n in stamped)
                    slips.Add((at[n] - t0) / TicksPerMs - (n - stamped[0]) * 1000.0 / rate);
            slips.Sort();
        }

        var received = watchers.Select(w => w.Received).ToArray();
        var events = watchers.Sum(w => (long)w.Events);
        var messages = watchers.Sum(w => (long)w.Messages);
        var reads = watchers.Sum(w => w.Reads);
        var errors = watchers.Where(w => w.Error is not null).ToArray();
        return new JsonObject
        {
            ["lines_received_total"] = latencies.Count,
            ["lines_expected_total"] = (long)lines * watchers.Length,
            ["lines_per_client_min"] = received.Min(),
            ["lines_per_client_max"] = received.Max(),
            ["duplicates"] = watchers.Sum(w => w.Duplicates),
            ["out_of_order"] = watchers.Sum(w => w.OutOfOrder),
            ["malformed"] = watchers.Sum(w => w.Malformed),
            ["statuses"] = new JsonArray(watchers.Select(w => w.Status ?? "none").Distinct().Order().Select(s => (JsonNode?)s).ToArray()),
            ["errors_total"] = errors.Length,
            ["errors"] = new JsonArray(errors.Take(5).Select(w => (JsonNode?)$"watcher {w.Index}: {w.Error}").ToArray()),
            ["latency_ms"] = Percentiles(latencies, 50, 90, 99, 99.9, 100),
            ["latency_first_watcher_ms"] = Percentiles(first, 50, 90, 99, 100),
            ["spread_ms"] = Percentiles(spreads, 50, 90, 99, 100),
            ["latency_by_tenth_ms"] = new JsonArray(tenths.Select(t => (JsonNode?)Percentiles(t, 50, 99, 100)).ToArray()),
            ["release_to_first_line_s"] = stamped.Length > 0 ? (at[stamped[0]] - release) / (double)TimeSpan.TicksPerSecond : null,
            ["release_to_last_arrival_s"] = lastArrival > 0 ? (lastArrival - release) / (double)TimeSpan.TicksPerSecond : null,
            ["emit_duration_s"] = emitSeconds,
            ["emit_rate_lines_per_s"] = emitRate,
            ["schedule_slip_ms"] = rate > 0 ? Percentiles(slips, 50, 99, 100) : null,
            ["events_total"] = events,
            ["messages_total"] = messages,
            ["events_per_message"] = messages > 0 ? (double)events / messages : null,
            ["reads_total"] = reads,
            ["bytes_total"] = watchers.Sum(w => w.Bytes),
            ["events_per_read"] = reads > 0 ? (double)events / reads : null,
            // where the pipeline itself stalled: the lines the first watcher got latest, with their stamp after the release
            ["slowest_lines"] = new JsonArray(slowest.OrderByDescending(x => x.FirstMs).Take(10)
                .Select(x => (JsonNode?)new JsonObject { ["line"] = x.Line, ["first_watcher_ms"] = x.FirstMs, ["at_after_release_ms"] = x.AtMs }).ToArray()),
        };
    }

    /// <summary>Linear interpolation between the closest ranks (as web_bench.py did); keys like "50", "99.9", "100".</summary>
    private static JsonObject Percentiles(List<double> sorted, params double[] ps)
    {
        var o = new JsonObject();
        foreach (var p in ps)
            o[p.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Percentile(sorted, p);
        return o;
    }

    private static double? Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var k = (sorted.Count - 1) * p / 100.0;
        var f = (int)k;
        var c = Math.Min(f + 1, sorted.Count - 1);
        return sorted[f] + (sorted[c] - sorted[f]) * (k - f);
    }
}
