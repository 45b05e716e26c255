using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// Downloads a URL (http, https or file://) to <see cref="Target"/> and checks it against the
/// required <see cref="Checksum"/> (<c>"sha256:&lt;hex&gt;"</c>; sha512, sha1 and md5 work too).
/// <para>
/// Up to date when the target exists with the wanted checksum. The download is streamed into a
/// temporary file next to the target and moved into place only when its checksum matches, so a
/// failed or wrong download leaves the old target untouched. A password in the URL is shown as
/// <c>*****</c> in breadcrumbs and messages; it is sent as HTTP basic authentication.
/// </para>
/// </summary>
public class Download(string uri) : Component
{
    /// <summary>The URL as given.</summary>
    [NotASetting] public string Uri { get; } = uri;

    /// <summary>Where to store the file (relative to the workdir); default: the last segment of the URL path.</summary>
    public string? Target { get; set; }

    /// <summary>Required: <c>"&lt;algorithm&gt;:&lt;hex digest&gt;"</c>.</summary>
    public new string? Checksum { get; set; }

    /// <summary>The URL with its password masked.</summary>
    [NotASetting] public string MaskedUri => UrlMask.Apply(Uri);

    /// <summary>The absolute path of the downloaded file.</summary>
    [NotASetting] public string TargetPath => Map(Target ?? DefaultTarget());

    protected override string? BreadcrumbValue => MaskedUri;

    private ChecksumSpec? _checksum;
    private Uri? _uri;

    protected override void Configure()
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https" or "file"))
            throw new ConfigurationError($"Download(\"{MaskedUri}\"): not an http, https or file:// URL.");
        _uri = parsed;
        _checksum = ChecksumSpec.Parse(Checksum, $"Download(\"{MaskedUri}\")");
        _ = TargetPath;
    }

    private string DefaultTarget()
    {
        var segment = System.Uri.TryCreate(Uri, UriKind.Absolute, out var parsed)
            ? System.Uri.UnescapeDataString(parsed.Segments.LastOrDefault() ?? "").Trim('/')
            : "";
        if (segment.Length == 0 || segment is "." or "..")
            throw new ConfigurationError($"Download(\"{MaskedUri}\"): cannot name the file after the URL; set Target.");
        return segment;
    }

    protected override void Verify()
    {
        if (!System.IO.File.Exists(TargetPath))
            throw new UpdateNeeded($"{System.IO.Path.GetFileName(TargetPath)} does not exist");
        var actual = _checksum!.Compute(TargetPath);
        if (actual != _checksum.Digest)
            throw new UpdateNeeded($"checksum is {_checksum.Algorithm}:{actual}, wanted {_checksum}");
    }

    protected override void Update()
    {
        var target = TargetPath;
        var directory = System.IO.Path.GetDirectoryName(target)!;
        System.IO.Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(target)}.batou-download-{Guid.NewGuid():N}");
        try
        {
            try
            {
                Fetcher.Fetch(_uri!, temp, Environment.Settings.Timeout, RootOrThrow.Session?.Kill ?? default);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or UnauthorizedAccessException)
            {
                throw new DeploymentError($"Download of {MaskedUri} failed: {UrlMask.Scrub(e.Message, Uri)}");
            }
            var actual = _checksum!.Compute(temp);
            if (actual != _checksum.Digest)
                throw new DeploymentError($"Checksum mismatch! expected {_checksum} got {_checksum.Algorithm}:{actual} (downloaded from {MaskedUri})");
            System.IO.File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (System.IO.File.Exists(temp)) System.IO.File.Delete(temp);
        }
    }

    public override DateTime? LastUpdated() =>
        System.IO.File.Exists(TargetPath) ? System.IO.File.GetLastWriteTimeUtc(TargetPath) : null;
}
