using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SseWatchers;

/// <summary>
/// bench/web-run.sh, part 2: WATCHERS connections to <c>GET BASE/deployments/ID/events</c> with the sign-in cookie.
/// Once every watcher has received a live <c>ev</c> event it removes HOLD_FILE (the benchmark component waits for
/// that, then logs LINES lines), collects arrival − <c>at</c> of every <c>bench line N</c> event at every watcher
/// until each stream ends with its <c>status</c> event (then it creates DONE_FILE, if given, for the script measuring the
/// server), and writes the statistics to OUT.json.
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: SseWatchers BASE COOKIE_HEADER_FILE DEPLOYMENT_ID WATCHERS HOLD_FILE LINES LINES_PER_SECOND OUT.json [DONE_FILE]";

    private static readonly TimeSpan SubscribeLimit = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(600);

    private static async Task<int> Main(string[] args)
    {
        if (args.Length is not (8 or 9)
            || !long.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var deployment)
            || !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out var clients) || clients < 1
            || !int.TryParse(args[5], NumberStyles.None, CultureInfo.InvariantCulture, out var lines) || lines < 1
            || !double.TryParse(args[6], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate < 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        var (baseUrl, cookieFile, holdFile, outFile) = (args[0], args[1], args[4], args[7]);
        var doneFile = args.Length > 8 ? args[8] : null;
        using var stop = new CancellationTokenSource();
        var cookie = (await File.ReadAllTextAsync(cookieFile, stop.Token)).Trim();
        var uri = new Uri(new Uri(baseUrl), $"/deployments/{deployment}/events");

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients + 8,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var me = Process.GetCurrentProcess();

        var shared = new Shared(clients, lines);
        var watchers = new Watcher[clients];
        var tasks = new Task[clients];
        var opened = Stopwatch.StartNew();
        for (var i = 0; i < clients; i++)
        {
            watchers[i] = new Watcher(i, shared);
            tasks[i] = watchers[i].RunAsync(http, uri, cookie, stop.Token);
        }

        // every watcher must be on the live stream before the component starts its lines
        try
        {
            await shared.AllSubscribed.Task.WaitAsync(SubscribeLimit, stop.Token);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"not all watchers subscribed ({shared.SubscribedCount}/{clients}): {e.Message}");
            await Console.Error.WriteLineAsync("  other message types seen: "
                + (shared.OtherTypes.IsEmpty ? "none" : string.Join(", ", shared.OtherTypes.Select(t => $"{t.Key} × {t.Value}"))));
            foreach (var w in watchers.Where(w => w.Error is not null).Take(3))
                await Console.Error.WriteLineAsync($"  watcher {w.Index}: {w.Error}");
            await stop.CancelAsync();
            return 1;
        }
        var subscribeSeconds = opened.Elapsed.TotalSeconds;

        me.Refresh();
        var cpuAtRelease = me.TotalProcessorTime;
        var release = DateTime.UtcNow.Ticks;
        File.Delete(holdFile);

        var pending = 0;
        try
        {
            await Task.WhenAll(tasks).WaitAsync(RunLimit, stop.Token);
        }
        catch (TimeoutException)
        {
            pending = tasks.Count(t => !t.IsCompleted);
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // reported as pending
            }
        }
        me.Refresh();
        var cpuEnd = me.TotalProcessorTime;
        var ended = DateTime.UtcNow.Ticks;
        if (doneFile is not null) await File.WriteAllTextAsync(doneFile, "", CancellationToken.None);

        var result = Statistics.Of(watchers, shared, rate, release);
        result["clients"] = clients;
        result["expected_lines"] = lines;
        result["lines_per_second"] = rate;
        result["connect_and_subscribe_s"] = subscribeSeconds;
        result["release_to_streams_ended_s"] = (ended - release) / (double)TimeSpan.TicksPerSecond;
        result["pending"] = pending;
        result["client_cpu_s"] = (cpuEnd - cpuAtRelease).TotalSeconds;
        result["client_cpu_total_s"] = cpuEnd.TotalSeconds;
        result["client_processors"] = Environment.ProcessorCount;
        result["other_message_types"] = new JsonObject(shared.OtherTypes.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
        result["client_gc_collections"] = new JsonArray(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        result["client_peak_working_set_mb"] = me.PeakWorkingSet64 / 1048576.0;

        var json = result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(outFile, json + "\n", stop.Token);
        Console.WriteLine(json);
        return 0;
    }
}
