using System.Globalization;
using Microsoft.Playwright;
using WebBlazor;

// WebBlazor tabs BASE DEPLOYMENT_ID HOLD_FILE TABS SERVER_PID OUT.md [per-tab|shared]
// WebBlazor history BASE SAMPLES OUT.md
// WebBlazor biglog BASE DEPLOYMENT_ID LOADS OUT.md [open-tab]
// WebBlazor compare BASE A B SAMPLES OUT.md
// WebBlazor fuzz BASE URL…   (bench/fuzz/fuzz_dashboard.py's browser sample)
// WebBlazor floor BASE LOADS OUT.md   (bench/BlazorFloor: no sign-in)
// WebBlazor metrics BASE PATH LOADS [anonymous]   (Chromium's counters at interactive, fresh tabs)
// WebBlazor timeline BASE PATH LOADS [anonymous]   (a fresh tab's steps to interactive: document, WebSocket messages)
// WebBlazor trace BASE PATH TRACE.json   (a Chromium performance trace of one fresh tab, after a warm-up load)
// WebBlazor pages BASE LOADS OUT.md PATH…   (the dashboard's pages in fresh tabs, measured as `floor` measures)
// — see bench/web-blazor-run.sh and bench/README.md
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: WebBlazor tabs|history|biglog|compare BASE …  (see bench/README.md)");
    return 2;
}
var baseUrl = args[1].TrimEnd('/');
using var pw = await Playwright.CreateAsync();
await using var browser = await pw.Chromium.LaunchAsync(new()
{
    // BENCH_CHROMIUM=/usr/bin/chromium-headless-shell: Chromium's headless shell (no browser UI: a new page in the full
    // browser also starts a window's UI renderer, the omnibox popup's WebUI, which competes for the cores)
    ExecutablePath = Environment.GetEnvironmentVariable("BENCH_CHROMIUM") is { Length: > 0 } chromium ? chromium : "/usr/bin/chromium", Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
});
if (args[0] == "floor" && args.Length == 4)
{
    var floor = await Floor.RunAsync(browser, baseUrl, int.Parse(args[2], CultureInfo.InvariantCulture),
        [("static HTML page", "/static.html"), ("Blazor Server + MudBlazor page", "/")]);
    await Output.WriteAsync(args[3], floor.Write);
    return 0;
}
if (args[0] == "timeline" && args.Length == 5 && args[4] == "anonymous")
{
    await FreshTabTimeline.RunAsync(browser, baseUrl, args[2], int.Parse(args[3], CultureInfo.InvariantCulture), null);
    return 0;
}
if (args[0] == "metrics" && args.Length == 5 && args[4] == "anonymous")
{
    await FreshTabMetrics.RunAsync(browser, baseUrl, args[2], int.Parse(args[3], CultureInfo.InvariantCulture), null);
    return 0;
}
var state = await Session.SignInAsync(browser, baseUrl);
switch (args[0])
{
    case "tabs" when args.Length is 7 or 8:
        var tabs = await Tabs.RunAsync(browser, state, baseUrl, long.Parse(args[2], CultureInfo.InvariantCulture), args[3],
            int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args.Length == 8 && args[7] == "shared");
        await Output.WriteAsync(args[6], tabs.Write);
        await Output.JsonAsync(args[6], tabs.Summary());
        return 0;
    case "history" when args.Length == 4:
        var history = await HistoryGrid.RunAsync(browser, state, baseUrl, int.Parse(args[2], CultureInfo.InvariantCulture));
        await Output.WriteAsync(args[3], history.Write);
        return 0;
    case "biglog" when args.Length == 5 || (args.Length == 6 && args[5] == "open-tab"):
        var big = await BigLog.RunAsync(browser, state, baseUrl, long.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
            openTab: args.Length == 6);
        await Output.WriteAsync(args[4], big.Write);
        await Output.JsonAsync(args[4], big.Summary());
        return 0;
    case "compare" when args.Length == 6:
        var compare = await Compare.RunAsync(browser, state, baseUrl, long.Parse(args[2], CultureInfo.InvariantCulture), long.Parse(args[3], CultureInfo.InvariantCulture),
            int.Parse(args[4], CultureInfo.InvariantCulture));
        await Output.WriteAsync(args[5], compare.Write);
        return 0;
    case "pages" when args.Length >= 5:
        var pages = await Floor.RunAsync(browser, baseUrl, int.Parse(args[2], CultureInfo.InvariantCulture), [.. args[4..].Select(p => (p, p))], state);
        await Output.WriteAsync(args[3], pages.Write);
        return 0;
    case "metrics" when args.Length == 4:
        await FreshTabMetrics.RunAsync(browser, baseUrl, args[2], int.Parse(args[3], CultureInfo.InvariantCulture), state);
        return 0;
    case "trace" when args.Length == 4:
        await FreshTabTimeline.TraceAsync(browser, baseUrl, args[2], args[3], state);
        return 0;
    case "timeline" when args.Length == 4:
        await FreshTabTimeline.RunAsync(browser, baseUrl, args[2], int.Parse(args[3], CultureInfo.InvariantCulture), state);
        return 0;
    case "fuzz" when args.Length >= 3:
        return await FuzzPages.RunAsync(browser, state, args[2..]);
    default:
        Console.Error.WriteLine($"bad arguments for {args[0]}");
        return 2;
}
