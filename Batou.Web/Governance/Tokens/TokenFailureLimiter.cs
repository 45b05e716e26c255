namespace Batou.Web.Governance.Tokens;

/// <summary>
/// Failed token attempts per client address, like the sign-in form: after <c>Batou:ApiTokens:FailuresPerMinute</c>
/// (10) failures within a minute, every bearer request from that address is answered 429 until the minute is over.
/// </summary>
public sealed class TokenFailureLimiter(int perMinute)
{
    private readonly Dictionary<string, (DateTime Start, int Count)> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public bool IsBlocked(string address, DateTime now)
    {
        lock (_lock)
            return _windows.TryGetValue(address, out var w) && now - w.Start < Window && w.Count >= perMinute;
    }

    public void RecordFailure(string address, DateTime now)
    {
        lock (_lock)
        {
            if (_windows.Count > 10_000) Prune(now);
            _windows[address] = _windows.TryGetValue(address, out var w) && now - w.Start < Window ? (w.Start, w.Count + 1) : (now, 1);
        }
    }

    private void Prune(DateTime now)
    {
        foreach (var key in _windows.Where(kv => now - kv.Value.Start >= Window).Select(kv => kv.Key).ToList()) _windows.Remove(key);
    }
}
