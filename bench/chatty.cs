// The benchmark component of bench/web-run.sh, bench/web-log-run.sh and bench/web-blazor-run.sh (copied into their
// generated repositories). Waits (bounded) while the hold file exists, so every watcher is subscribed first, then logs
// the lines: all at once (LinesPerSecond = 0), or paced: line i (from 0) is due i / LinesPerSecond seconds after the
// first. With Stamp the line ends in " t=<unix ms>" read just before Log(): a browser, which sees only the text,
// measures its latency against the same machine clock.
public sealed class Chatty : Component
{
    public int Lines { get; set; } = 10000;
    public int LinesPerSecond { get; set; }
    public string HoldFile { get; set; } = "";
    public bool Stamp { get; set; }
    protected override void Verify() => throw new UpdateNeeded("bench");
    protected override void Update()
    {
        var until = DateTime.UtcNow.AddSeconds(600);   // 50 browser tabs on two busy cores took up to 233 s to open
        while (HoldFile.Length > 0 && System.IO.File.Exists(HoldFile) && DateTime.UtcNow < until) System.Threading.Thread.Sleep(20);
        if (LinesPerSecond <= 0)
        {
            for (var i = 1; i <= Lines; i++) Log(Line(i));
            return;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Lines; i++)
        {
            // sleep until due, rounded up to whole milliseconds (never a busy wait); a late line goes out at once
            var wait = i * 1000.0 / LinesPerSecond - clock.Elapsed.TotalMilliseconds;
            if (wait > 0) System.Threading.Thread.Sleep((int)Math.Ceiling(wait));
            Log(Line(i + 1));
        }
    }

    private string Line(int n) => Stamp ? "bench line " + n + " t=" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : "bench line " + n;
}
