using System.Diagnostics;

namespace Batou.Lib.Internal;

/// <summary>Polls a URL until it answers as wanted or the time is up; remembers the last answer.</summary>
internal static class HealthProbe
{
    private static readonly HttpClient s_client = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(250);

    /// <summary>True when <paramref name="url"/> answered as wanted; <c>Last</c> describes the last answer.</summary>
    public static (bool Healthy, string Last) Wait(Uri url, TimeSpan timeout, int? status, string? contains, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (true)
        {
            token.ThrowIfCancellationRequested();
            var (healthy, answer) = Once(url, status, contains, token);
            last = answer;
            if (healthy) return (true, last);
            if (clock.Elapsed >= timeout) return (false, last);
            token.WaitHandle.WaitOne(s_interval);
        }
    }

    private static (bool Healthy, string Answer) Once(Uri url, int? status, string? contains, CancellationToken token)
    {
        try
        {
            using var response = s_client.GetAsync(url, token).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync(token).GetAwaiter().GetResult();
            var code = (int)response.StatusCode;
            var answer = $"HTTP {code} {Shorten(body)}".TrimEnd();
            var statusOk = status is { } wanted ? code == wanted : code is >= 200 and < 300;
            return (statusOk && (contains is null || body.Contains(contains, StringComparison.Ordinal)), answer);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (false, e is TaskCanceledException && !token.IsCancellationRequested ? "no answer within 5s" : e.Message);
        }
    }

    private static string Shorten(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }
}
