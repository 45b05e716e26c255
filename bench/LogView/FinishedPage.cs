using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;

namespace LogView;

/// <summary>The finished deployment's page: server time for its HTML, browser load times, "load earlier", raw log.</summary>
internal sealed record FinishedPage(long DeploymentId, IReadOnlyList<double> HtmlMs, int HtmlBytes, IReadOnlyList<double> DomContentLoadedMs,
    IReadOnlyList<double> LoadMs, int LinesShown, IReadOnlyList<double> EarlierMs, double RawMs, long RawBytes, int RawLines)
{
    public static async Task<FinishedPage> MeasureAsync(IBrowserContext context, string baseUrl, long id)
    {
        var url = $"{baseUrl}/deployments/{id}";
        var html = new List<double>();
        var bytes = 0;
        for (var i = 0; i < 22; i++)
        {
            var clock = Stopwatch.StartNew();
            var response = await context.APIRequest.GetAsync(url);
            var body = await response.BodyAsync();
            if (i >= 2) html.Add(clock.Elapsed.TotalMilliseconds);   // two warm-ups
            if (response.Status != 200) throw new InvalidOperationException($"{url}: {response.Status}");
            bytes = body.Length;
        }
        var page = await context.NewPageAsync();
        var dcl = new List<double>();
        var load = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load });
            var t = await page.EvaluateAsync<double[]>("() => { const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd]; }");
            if (i == 0) continue;   // warm-up (assets into the cache)
            dcl.Add(t[0]); load.Add(t[1]);
        }
        var lines = page.Locator("#log .log-line");
        var shown = await lines.CountAsync();
        var earlier = new List<double>();
        for (var i = 0; i < 5 && await page.Locator("#log .log-more").CountAsync() > 0; i++)   // a short log runs out of earlier lines
        {
            var before = await lines.CountAsync();
            var clock = Stopwatch.StartNew();
            await page.ClickAsync("#log .log-more");
            await page.WaitForFunctionAsync($"() => document.querySelectorAll('#log .log-line').length > {before}");
            earlier.Add(clock.Elapsed.TotalMilliseconds);
        }
        var raw = Stopwatch.StartNew();
        var log = await context.APIRequest.GetAsync($"{baseUrl}/deployments/{id}/log.txt");
        var text = await log.TextAsync();
        var rawMs = raw.Elapsed.TotalMilliseconds;
        return new FinishedPage(id, [.. html.Order()], bytes, [.. dcl.Order()], [.. load.Order()], shown, earlier,
            rawMs, Encoding.UTF8.GetByteCount(text), text.Count(c => c == '\n'));
    }

    public void Write(StringBuilder md)
    {
        md.AppendLine($"### The finished page of #{DeploymentId}").AppendLine();
        md.AppendLine("| | p50 | p95 | max |").AppendLine("|---|---:|---:|---:|");
        Row(md, $"server: GET /deployments/{DeploymentId} ({HtmlBytes / 1024.0:0} KB HTML, 20 requests after 2 warm-ups)", HtmlMs);
        Row(md, "browser: navigation → DOMContentLoaded (10 loads after 1 warm-up)", DomContentLoadedMs);
        Row(md, "browser: navigation → load event", LoadMs);
        if (EarlierMs.Count > 0) Row(md, $"\"Load earlier lines\" click → up to 1,000 more lines shown ({EarlierMs.Count} clicks)", [.. EarlierMs.Order()]);
        md.AppendLine();
        md.AppendLine($"Lines shown on load: **{LinesShown}**. Raw log download (`/deployments/{DeploymentId}/log.txt`): {RawLines:N0} lines, " +
                      $"{RawBytes / 1024.0 / 1024.0:0.0} MB in {RawMs:0} ms.").AppendLine();
    }

    private static void Row(StringBuilder md, string what, IReadOnlyList<double> sorted) =>
        md.AppendLine($"| {what} | {Stats.Ms(Stats.Percentile(sorted, 50))} | {Stats.Ms(Stats.Percentile(sorted, 95))} | {Stats.Ms(sorted[^1])} |");
}
