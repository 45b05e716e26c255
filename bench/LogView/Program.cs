using System.Diagnostics;
using System.Globalization;
using System.Text;
using LogView;
using Microsoft.Playwright;

// LogView BASE_URL REPO ENV HOLD_FILE OUT.md — see bench/web-log-run.sh
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: LogView BASE_URL REPO ENV HOLD_FILE OUT.md");
    return 2;
}
var (baseUrl, repo, env, holdFile, outFile) = (args[0].TrimEnd('/'), args[1], args[2], args[3], args[4]);
using var pw = await Playwright.CreateAsync();
await using var browser = await pw.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium", Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-precise-memory-info"],
});
var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
var page = await context.NewPageAsync();
await Session.SignInAsync(page, baseUrl);

var live = await LiveWatch.RunAsync(page, baseUrl, repo, env, holdFile);
var final = await FinishedPage.MeasureAsync(context, baseUrl, live.DeploymentId);

var md = new StringBuilder();
live.Write(md);
final.Write(md);
await File.WriteAllTextAsync(outFile, md.ToString());
Console.Write(md);
return 0;

namespace LogView
{
    internal static class Session
    {
        public const string User = "admin", Password = "bench-password";

        public static async Task SignInAsync(IPage page, string baseUrl)
        {
            await page.GotoAsync(baseUrl + "/");
            var form = page.Locator("#create-admin").Or(page.Locator("#sign-in"));
            await form.First.WaitForAsync();
            await page.FillAsync("#UserName", User);
            await page.FillAsync("#Password", Password);
            if (await page.Locator("#create-admin").CountAsync() > 0)
            {
                await page.FillAsync("#Confirm", Password);
                await page.ClickAsync("#create-admin");
            }
            else await page.ClickAsync("#sign-in");
            await page.Locator("#repositories").WaitForAsync();
        }
    }

    internal static class Stats
    {
        public static double Percentile(IReadOnlyList<double> sorted, double p)
        {
            if (sorted.Count == 0) return double.NaN;
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }

        public static string Ms(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    }
}
