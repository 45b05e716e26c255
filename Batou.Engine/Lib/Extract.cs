using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// Extracts an archive into a directory: <c>.tar</c>, <c>.tar.gz</c>/<c>.tgz</c> and <c>.zip</c>
/// natively, <c>.tar.bz2</c>/<c>.tar.xz</c> through the <c>tar</c> program.
/// <para>
/// The archive path and <see cref="Target"/> are relative to the workdir (like batou); the target
/// defaults to the archive's file name without its suffix (<c>foo-1.0.tar.gz</c> →
/// <c>foo-1.0/</c>), or the workdir itself when <see cref="CreateTargetDir"/> is false.
/// <see cref="Strip"/> drops leading path components of every member (for zip files too).
/// </para>
/// <para>
/// Extracted files get the extraction time as modification time (like <c>tar --touch</c>), so
/// an update is needed exactly when a member is missing or older than the archive. Members with
/// absolute paths, <c>..</c>, links pointing outside the target, or paths through symbolic links
/// are refused. A missing archive is an error, except while predicting (it may be downloaded by
/// an earlier component).
/// </para>
/// </summary>
public class Extract(string archive) : Component
{
    /// <summary>The archive as given (relative to the workdir).</summary>
    [NotASetting] public string Archive { get; } = archive;

    /// <summary>The directory to extract into; default: the archive name without its suffix.</summary>
    public string? Target { get; set; }

    /// <summary>How many leading path components to drop from every member (<c>tar --strip-components</c>).</summary>
    public int Strip { get; set; }

    /// <summary>Create the target directory; false extracts into an existing directory (default: the workdir).</summary>
    public bool CreateTargetDir { get; set; } = true;

    /// <summary>The absolute path of the archive.</summary>
    [NotASetting] public string ArchivePath => Map(Archive);

    /// <summary>The absolute path of the directory the archive is extracted into.</summary>
    [NotASetting] public string TargetPath => Map(Target ?? (CreateTargetDir ? Detected.BaseName : "."));

    protected override string? BreadcrumbValue => Archive;

    private (ArchiveFormat Format, string BaseName) Detected =>
        ArchiveFormats.Detect(Archive) ?? throw new ConfigurationError(
            $"Extract: cannot extract \"{Archive}\": unknown archive type (supported: {ArchiveFormats.Supported}).");

    protected override void Configure()
    {
        _ = Detected;
        if (Strip < 0)
            throw new ConfigurationError($"Extract(\"{Archive}\"): Strip must not be negative (got {Strip}).");
        if (Target is { Length: 0 })
            throw new ConfigurationError($"Extract(\"{Archive}\"): Target must not be empty (use \".\" for the workdir).");
    }

    protected override void Verify()
    {
        if (!System.IO.File.Exists(ArchivePath))
        {
            if (Predicting) throw new UpdateNeeded($"archive {Archive} does not exist yet");
            throw new FileNotFoundException($"Archive {ArchivePath} does not exist.", ArchivePath);
        }
        var target = TargetPath;
        if (!System.IO.Directory.Exists(target))
            throw new UpdateNeeded($"{System.IO.Path.GetFileName(target)} does not exist");
        var archiveTime = System.IO.File.GetLastWriteTimeUtc(ArchivePath);
        foreach (var entry in Entries())
        {
            if (entry.Kind == ArchiveEntryKind.Directory) continue;
            var path = ArchivePaths.Resolve(target, entry.Name);
            var info = new FileInfo(path);
            if (info.LinkTarget is not null) continue;
            if (!info.Exists)
                throw new UpdateNeeded($"{entry.Name} is missing");
            if (info.LastWriteTimeUtc < archiveTime)
                throw new UpdateNeeded($"{entry.Name} is older than the archive");
        }
    }

    protected override void Update()
    {
        var target = TargetPath;
        if (!System.IO.Directory.Exists(target))
        {
            if (!CreateTargetDir)
                throw new DirectoryNotFoundException($"Target directory {target} does not exist (CreateTargetDir is false).");
            System.IO.Directory.CreateDirectory(target);
        }
        switch (Detected.Format)
        {
            case ArchiveFormat.Tar or ArchiveFormat.TarGz:
                NativeTar.Extract(ArchivePath, Detected.Format == ArchiveFormat.TarGz, target, Strip);
                break;
            case ArchiveFormat.Zip:
                NativeZip.Extract(ArchivePath, target, Strip);
                break;
            default:
                ExternalTar.Extract(this, ArchivePath, Detected.Format, target, Strip);
                break;
        }
    }

    /// <summary>The archive's members after stripping, relative to the target.</summary>
    internal IReadOnlyList<ArchiveEntry> Entries() => Detected.Format switch
    {
        ArchiveFormat.Tar => NativeTar.List(ArchivePath, gzip: false, Strip),
        ArchiveFormat.TarGz => NativeTar.List(ArchivePath, gzip: true, Strip),
        ArchiveFormat.Zip => NativeZip.List(ArchivePath, Strip),
        _ => ExternalTar.List(this, ArchivePath, Detected.Format, Strip),
    };
}
