using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace WebBlazor;

internal static class Session
{
    public const string User = "admin", Password = "bench-password";

    /// <summary>Creates the admin (first run) or signs in; returns the storage state (cookies) for further contexts.</summary>
    public static async Task<string> SignInAsync(IBrowser browser, string baseUrl)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/account/login");
        if (await page.Locator("#create-admin").CountAsync() == 0 && await page.Locator("#sign-in").CountAsync() == 0)
            await page.GotoAsync(baseUrl + "/setup");
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
        await page.Locator("#repositories").WaitForAsync(new() { Timeout = 60_000 });
        return await context.StorageStateAsync();
    }

    public static Task<IBrowserContext> ContextAsync(IBrowser browser, string state) =>
        browser.NewContextAsync(new() { StorageState = state, ViewportSize = new() { Width = 1440, Height = 900 } });
}

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static string Ms(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Row(string what, IReadOnlyList<double> sorted) =>
        $"| {what} | {sorted.Count} | {Ms(Percentile(sorted, 50))} | {Ms(Percentile(sorted, 95))} | {Ms(Percentile(sorted, 99))} | {Ms(sorted.Count > 0 ? sorted[^1] : double.NaN)} |";

    public const string Header = "| | n | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|---:|";
}

/// <summary>CPU and memory of processes, from /proc.</summary>
internal static class Proc
{
    private static readonly double Hz = 100;   // USER_HZ is 100 on Linux x86-64

    /// <summary>utime + stime in seconds (the process and its reaped children are not included).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / Hz;
    }

    public static long StatusKb(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>Resets VmHWM (peak RSS) to the current RSS; false where the kernel does not allow it.</summary>
    public static bool ResetPeak(int pid)
    {
        try { File.WriteAllText($"/proc/{pid}/clear_refs", "5"); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Every process below <paramref name="root"/> (the Playwright driver and the browser it started).</summary>
    public static List<int> Descendants(int root)
    {
        var parent = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText($"{dir}/stat");
                parent[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
        }
        var result = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.Count > 0)
        {
            var p = frontier.Dequeue();
            foreach (var (child, of) in parent)
                if (of == p) { result.Add(child); frontier.Enqueue(child); }
        }
        return result;
    }

    /// <summary>CPU seconds and RSS (kB) summed over the processes below this one; processes that ended are skipped.</summary>
    public static (double Cpu, long RssKb) Tree()
    {
        double cpu = 0; long rss = 0;
        foreach (var pid in Descendants(Environment.ProcessId))
        {
            try { cpu += CpuSeconds(pid); rss += StatusKb(pid, "VmRSS"); }
            catch (IOException) { }
        }
        return (cpu, rss);
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
}

internal static class Output
{
    public static async Task WriteAsync(string file, Action<StringBuilder> write)
    {
        var md = new StringBuilder();
        write(md);
        await File.WriteAllTextAsync(file, md.ToString());
        Console.Write(md);
    }

    /// <summary>Writes <paramref name="summary"/> beside <paramref name="file"/> as OUT.json (NaN as null).</summary>
    public static Task JsonAsync(string file, Dictionary<string, object> summary) =>
        File.WriteAllTextAsync(Path.ChangeExtension(file, ".json"), System.Text.Json.JsonSerializer.Serialize(
            summary.ToDictionary(kv => kv.Key, kv => kv.Value is double d && double.IsNaN(d) ? null : kv.Value)));
}
