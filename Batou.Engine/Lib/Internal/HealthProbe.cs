using System.Diagnostics;

namespace Batou.Lib.Internal;

/// <summary>Polls a URL until it answers as wanted or the time is up; remembers the last answer.</summary>
internal static class HealthProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>Created when a probe needs it (https, or an answer <see cref="PlainHttp"/> leaves to it).</summary>
    private static class Client
    {
        public static readonly HttpClient Instance = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            Timeout = s_timeout,
        };
    }

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
        // plain http (a service on loopback): one socket, no HttpClient start-up; anything unusual goes to HttpClient
        if (PlainHttp.Get(url, s_timeout, token) is { } plain)
            return plain.Status == PlainHttp.NoAnswer ? (false, "no answer within 5s") : Judge(plain.Status, plain.Body, status, contains);
        try
        {
            using var response = Client.Instance.GetAsync(url, token).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync(token).GetAwaiter().GetResult();
            return Judge((int)response.StatusCode, body, status, contains);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (false, e is TaskCanceledException && !token.IsCancellationRequested ? "no answer within 5s" : e.Message);
        }
    }

    private static (bool Healthy, string Answer) Judge(int code, string body, int? status, string? contains)
    {
        var answer = $"HTTP {code} {Shorten(body)}".TrimEnd();
        var statusOk = status is { } wanted ? code == wanted : code is >= 200 and < 300;
        return (statusOk && (contains is null || body.Contains(contains, StringComparison.Ordinal)), answer);
    }

    private static string Shorten(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 200 ? flat : flat[..200] + "…";
    }
}
