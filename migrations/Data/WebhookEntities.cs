namespace Batou.Web.Data;

/// <summary>
/// An outgoing webhook: where to post which notifications, for one environment (of one repository) or everywhere.
/// The signing secret is kept encrypted (<see cref="SecretCipher"/>), never in plain text.
/// </summary>
public sealed class WebhookEntity
{
    public int Id { get; set; }
    public required string Url { get; set; }
    /// <summary>Null: every repository.</summary>
    public string? Repository { get; set; }
    /// <summary>Null: every environment.</summary>
    public string? Environment { get; set; }
    /// <summary>The notification kinds it wants, comma-separated (<c>deployment.succeeded,deployment.failed</c>).</summary>
    public required string Events { get; set; }
    public required string SecretCipher { get; set; }
    public bool Enabled { get; set; } = true;
    public required string CreatedBy { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>One notification to deliver to one webhook: the exact body that is signed and sent, until delivered or given up.</summary>
public sealed class WebhookDeliveryEntity
{
    public long Id { get; set; }
    public int WebhookId { get; set; }
    /// <summary>The event id in the body and the <c>X-Batou-Delivery</c> header: receivers use it to drop repeats.</summary>
    public required string EventId { get; set; }
    public required string Kind { get; set; }
    public required string Body { get; set; }
    /// <summary>pending, delivered or failed (gave up).</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    public DateTime? DeliveredUtc { get; set; }
}

/// <summary>One try of a delivery: what the receiver answered (or why it could not be reached).</summary>
public sealed class WebhookAttemptEntity
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public int WebhookId { get; set; }
    public int Attempt { get; set; }
    public DateTime AtUtc { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public long DurationMs { get; set; }
}
