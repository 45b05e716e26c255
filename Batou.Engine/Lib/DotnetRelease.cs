using Batou.Engine.Api;
using Batou.Engine.Planning;
using Batou.Engine.Util;
using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// Deploys a built .NET application into <c>releases/&lt;version&gt;/</c> under
/// <see cref="Location"/> and points the <c>current</c> symlink there atomically (rename(2)),
/// then runs <see cref="Restart"/> and waits for <see cref="HealthCheck"/>. When the health check
/// fails, <c>current</c> is switched back to the previous release, <see cref="Restart"/> runs again,
/// and the deployment fails naming the URL and the last response. After a good switch only the
/// <see cref="Keep"/> most recently used releases remain.
/// <para>
/// The application comes from either <see cref="Project"/> (a project in the deployment
/// repository, built with <c>dotnet publish</c>; the version defaults to <c>src-</c> and a digest
/// of the project's folder, so an unchanged source is never rebuilt) or <see cref="Artifact"/>
/// (an http(s)/file URL of a .tar.gz/.tgz/.tar/.zip with a required <see cref="Checksum"/>; the
/// version defaults to the start of the digest).
/// </para>
/// <para>
/// Up to date when the release directory exists and <c>current</c> points at it: a second
/// deployment builds, downloads, restarts and touches nothing. A release is built in a hidden
/// directory and renamed into place only when complete.
/// </para>
/// </summary>
public class DotnetRelease(string name) : Component
{
    /// <summary>The application's name (breadcrumbs, the build folder).</summary>
    [NotASetting] public string Name { get; } = name;

    /// <summary>A project file (or its folder) to publish, relative to the repository root (outside <c>components/</c>: every .cs file there is compiled as component code).</summary>
    public string? Project { get; set; }

    /// <summary>The build configuration for <see cref="Project"/>.</summary>
    public string Configuration { get; set; } = "Release";

    /// <summary>An http(s) or file:// URL of a published application as an archive.</summary>
    public string? Artifact { get; set; }

    /// <summary>Required with <see cref="Artifact"/>: <c>"sha256:&lt;hex&gt;"</c>.</summary>
    public new string? Checksum { get; set; }

    /// <summary>The release's name; default: derived from the source digest or the artifact checksum.</summary>
    public string? Version { get; set; }

    /// <summary>Where <c>releases/</c> and <c>current</c> live (relative to the workdir); default: the workdir.</summary>
    public string Location { get; set; } = ".";

    /// <summary>A shell command run after every switch (the service restart; expanded as a template).</summary>
    public string? Restart { get; set; }

    /// <summary>A URL that must answer 2xx after the restart; otherwise the previous release comes back.</summary>
    public string? HealthCheck { get; set; }

    /// <summary>How long to wait for <see cref="HealthCheck"/>.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many releases to keep (the current one always stays).</summary>
    public int Keep { get; set; } = 3;

    /// <summary>The release directory this deployment wants.</summary>
    [NotASetting] public string ReleasePath => Tree.PathOf(ReleaseVersion);

    /// <summary>The version this deployment wants.</summary>
    [NotASetting] public string ReleaseVersion => Version ?? (_version ??= DefaultVersion());

    /// <summary>The <c>current</c> symlink.</summary>
    [NotASetting] public string CurrentPath => Tree.Current;

    protected override string? BreadcrumbValue => Name;

    private string? _version;
    private ChecksumSpec? _checksum;
    private Uri? _artifact;
    private Uri? _health;
    private string? _project;
    private string? _sourceHash;
    private string? _build;

    private string Owner => $"DotnetRelease(\"{Name}\")";

    private ReleaseTree Tree => new(Map(Location));

    protected override void Configure()
    {
        if ((Project is null) == (Artifact is null))
            throw new ConfigurationError($"{Owner}: set exactly one of Project (built with dotnet publish) or Artifact (a downloaded archive).");
        if (Keep < 1) throw new ConfigurationError($"{Owner}: Keep must be at least 1 (got {Keep}).");
        if (Version is { } v && (v.Length == 0 || v.StartsWith('.') || v.Contains('/') || v.Contains('\0')))
            throw new ConfigurationError($"{Owner}: Version \"{v}\" cannot be a directory name.");
        if (HealthCheck is not null) _health = HttpHealthCheck.Parse(HealthCheck, Owner);
        if (Artifact is not null)
        {
            if (!System.Uri.TryCreate(Artifact, UriKind.Absolute, out _artifact) || _artifact.Scheme is not ("http" or "https" or "file"))
                throw new ConfigurationError($"{Owner}: Artifact \"{UrlMask.Apply(Artifact)}\" is not an http, https or file:// URL.");
            if (ArchiveFormats.Detect(_artifact.AbsolutePath) is not { Format: ArchiveFormat.Tar or ArchiveFormat.TarGz or ArchiveFormat.Zip })
                throw new ConfigurationError($"{Owner}: Artifact must be a .tar.gz, .tgz, .tar or .zip file.");
            _checksum = ChecksumSpec.Parse(Checksum, Owner);
        }
        else
        {
            var path = System.IO.Path.GetFullPath(Project!, Environment.BaseDir);
            if (System.IO.Directory.Exists(path))
                path = System.IO.Directory.EnumerateFiles(path, "*.*proj").Order(StringComparer.Ordinal).FirstOrDefault()
                    ?? throw new ConfigurationError($"{Owner}: no project file in {Project}.");
            if (!System.IO.File.Exists(path))
                throw new ConfigurationError($"{Owner}: Project {Project} does not exist (looked for {path}).");
            _project = path;
            var source = SourceHash.Of(System.IO.Path.GetDirectoryName(path)!);
            _sourceHash = source;
            var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes($"{source}\0{Configuration}\0{System.IO.Path.GetRelativePath(Environment.BaseDir, path)}")))[..16];
            _build = System.IO.Path.Combine(Environment.BaseDir, ControllerBuilds.Folder, Name, key);
            // the controller publishes before the repository travels; the host only copies the result
            RootOrThrow.Model.Builds.Declare(new ControllerBuild(_build, $"{Owner} from {Project}", PublishOnController));
        }
    }

    private string DefaultVersion() => _artifact is not null
        ? _checksum!.Digest[..12]
        : "src-" + _sourceHash![..12];

    protected override void Verify()
    {
        var tree = Tree;
        if (!System.IO.Directory.Exists(ReleasePath))
            throw new UpdateNeeded($"release {ReleaseVersion} is not installed");
        if (tree.CurrentLink() != ReleaseTree.LinkOf(ReleaseVersion))
            throw new UpdateNeeded(tree.CurrentVersion() is { } other ? $"current is {other}, wanted {ReleaseVersion}" : $"current does not point at release {ReleaseVersion}");
    }

    protected override void Update()
    {
        var tree = Tree;
        var version = ReleaseVersion;
        if (!System.IO.Directory.Exists(ReleasePath)) Install(tree, version);
        var previous = tree.CurrentVersion();
        tree.Switch(version);
        Log(previous is null ? $"current -> releases/{version}" : $"current -> releases/{version} (was {previous})");
        if (Restart is not null) Cmd(Restart);
        if (_health is not null)
        {
            var (healthy, last) = HealthProbe.Wait(_health, HealthTimeout, null, null, RootOrThrow.Session?.Kill ?? default);
            if (!healthy) RollBack(tree, previous, last);
        }
        var deleted = tree.Prune(Keep, previous is null ? [version] : [version, previous]);
        if (deleted.Count > 0) Log("removed old releases: " + string.Join(", ", deleted));
    }

    private void RollBack(ReleaseTree tree, string? previous, string last)
    {
        var url = UrlMask.Apply(HealthCheck!);
        var what = $"Health check {url} failed for {HealthTimeout.TotalSeconds:0}s after switching to release {ReleaseVersion}; last response: {last}";
        if (previous is null || previous == ReleaseVersion)
            throw new DeploymentError(what + ". There is no previous release to switch back to.");
        tree.Switch(previous);
        Log($"current -> releases/{previous} (switched back)");
        if (Restart is not null) Cmd(Restart);
        throw new DeploymentError(what + $". Switched back to release {previous}.");
    }

    private void Install(ReleaseTree tree, string version)
    {
        var staging = tree.Staging(version);
        try
        {
            if (_artifact is not null) Unpack(staging);
            else CopyBuild(staging);
            System.IO.Directory.Move(staging, tree.PathOf(version));
        }
        finally
        {
            if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>On the hosts (and locally): the release is a copy of what the controller published.</summary>
    private void CopyBuild(string output)
    {
        if (!System.IO.Directory.Exists(_build))
            throw new DeploymentError($"{Owner}: there is no build of {Project} for the source found here ({System.IO.Path.GetRelativePath(Environment.BaseDir, _build!)}). "
                + $"The controller publishes the source it sees and sends the build with the repository; on a host this means its {Project} differs from the controller's: "
                + "with update_method git-bundle or git-pull hosts get committed files only, so uncommitted changes (deploying with -D) or files git ignores in the project's folder make them differ. "
                + "Commit them (or deploy with update_method = rsync).");
        TreeCopy.Copy(_build!, output);
    }

    /// <summary>Runs on the controller (see <see cref="ControllerBuilds"/>): dotnet publish, intermediate files outside the transferred tree.</summary>
    private void PublishOnController(string output, CancellationToken token)
    {
        var artifacts = System.IO.Path.Combine(Environment.WorkBase, ".batou", "dotnet-build", Name);
        var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run("dotnet", ["publish", _project!, "-nologo", "-c", Configuration, "-o", output, "--artifacts-path", artifacts],
                System.IO.Path.GetDirectoryName(_project!), env, Environment.Settings.Timeout, token);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BatouException(BatouError.Create("BuildFailed", "Cannot run dotnet publish on the controller (is the .NET SDK installed?)",
                ("Component", Owner), ("Project", Project!), ("Error", e.Message)));
        }
        if (result.ExitCode == 0) return;
        var text = result.Stdout + "\n" + result.Stderr;
        var errors = text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().Take(30).ToList();
        throw new BatouException(BatouError.Create("BuildFailed", result.TimedOut ? "dotnet publish timed out on the controller" : "dotnet publish failed on the controller",
                ("Component", $"{Host.Name}:{RootOrThrow.Name} > {Owner}"), ("Project", Project!), ("Exit code", result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            with { Body = errors.Count > 0 ? string.Join('\n', errors) : string.Join('\n', text.Split('\n').TakeLast(30)).Trim() });
    }

    private void Unpack(string output)
    {
        var downloads = System.IO.Path.Combine(Tree.Location, "downloads");
        System.IO.Directory.CreateDirectory(downloads);
        var archive = System.IO.Path.Combine(downloads, System.IO.Path.GetFileName(_artifact!.AbsolutePath));
        if (!System.IO.File.Exists(archive) || _checksum!.Compute(archive) != _checksum.Digest)
        {
            var temp = archive + $".batou-{Guid.NewGuid():N}";
            try
            {
                try
                {
                    Fetcher.Fetch(_artifact!, temp, Environment.Settings.Timeout, RootOrThrow.Session?.Kill ?? default);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or UnauthorizedAccessException)
                {
                    throw new DeploymentError($"{Owner}: download of {UrlMask.Apply(Artifact!)} failed: {UrlMask.Scrub(e.Message, Artifact!)}");
                }
                var actual = _checksum!.Compute(temp);
                if (actual != _checksum.Digest)
                    throw new DeploymentError($"{Owner}: checksum mismatch! expected {_checksum} got {_checksum.Algorithm}:{actual} (downloaded from {UrlMask.Apply(Artifact!)})");
                System.IO.File.Move(temp, archive, overwrite: true);
            }
            finally
            {
                if (System.IO.File.Exists(temp)) System.IO.File.Delete(temp);
            }
        }
        var format = ArchiveFormats.Detect(archive)!.Value.Format;
        if (format == ArchiveFormat.Zip) NativeZip.Extract(archive, output, 0);
        else NativeTar.Extract(archive, format == ArchiveFormat.TarGz, output, 0);
    }

    public override DateTime? LastUpdated() =>
        System.IO.Directory.Exists(ReleasePath) ? System.IO.Directory.GetLastWriteTimeUtc(ReleasePath) : null;
}
