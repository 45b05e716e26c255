namespace Batou.Web.Governance.Webhooks;

/// <summary><c>Batou:Webhooks</c>: how deliveries are retried, and the address links in the body start with.</summary>
public sealed class WebhookOptions
{
    /// <summary>The wait before the second attempt; it doubles after each failed one (10 s, 20 s, 40 s, …).</summary>
    public double RetrySeconds { get; set; } = 10;
    /// <summary>Attempts before a delivery is given up (failed).</summary>
    public int MaxAttempts { get; set; } = 6;
    public double TimeoutSeconds { get; set; } = 10;
    /// <summary>The dashboard's public address (https://deploy.example.com) for the link in each event; relative links without it.</summary>
    public string? PublicUrl { get; set; }

    public TimeSpan BackOff(int attemptsSoFar) => TimeSpan.FromSeconds(RetrySeconds * Math.Pow(2, Math.Max(0, attemptsSoFar - 1)));
}
