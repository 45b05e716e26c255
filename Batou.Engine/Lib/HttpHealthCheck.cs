using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// Waits until <see cref="Url"/> answers with a 2xx status (or <see cref="Status"/>), and, when
/// set, a body containing <see cref="Contains"/>. It never changes anything, so it never reports
/// an update; when the URL stays unhealthy for <see cref="Timeout"/> the deployment fails naming
/// the URL and the last answer. While predicting (<c>-P</c>) it does not probe: the service may
/// only exist after the deployment.
/// </summary>
public class HttpHealthCheck(string url) : Component
{
    /// <summary>The URL to GET (http or https).</summary>
    [NotASetting] public string Url { get; } = url;

    /// <summary>How long to keep trying.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The exact status wanted; default: any 2xx.</summary>
    public int? Status { get; set; }

    /// <summary>Text the body must contain.</summary>
    public string? Contains { get; set; }

    protected override string? BreadcrumbValue => UrlMask.Apply(Url);

    private Uri? _uri;

    protected override void Configure() => _uri = Parse(Url, $"HttpHealthCheck(\"{UrlMask.Apply(Url)}\")");

    internal static Uri Parse(string url, string owner) =>
        System.Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
            ? parsed
            : throw new ConfigurationError($"{owner}: \"{UrlMask.Apply(url)}\" is not an http or https URL.");

    protected override void Verify()
    {
        if (Predicting) return;
        var (healthy, last) = HealthProbe.Wait(_uri!, Timeout, Status, Contains, RootOrThrow.Session?.Kill ?? default);
        if (!healthy)
            throw new DeploymentError($"Health check {UrlMask.Apply(Url)} failed for {Timeout.TotalSeconds:0}s; last response: {last}");
    }
}
