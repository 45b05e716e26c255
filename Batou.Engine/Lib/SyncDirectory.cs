using Batou.Engine.Util;
using Batou.Lib.Internal;
using Batou.Lib.Native;

namespace Batou.Lib;

/// <summary>
/// Copies every file of <see cref="Source"/> (relative to the defdir, or absolute) into the
/// directory at the path, recursively, creating directories as needed. Only files whose bytes
/// differ are written (atomically); files that exist only in the target are kept. Symlinks in the
/// source are recreated as symlinks. <see cref="Exclude"/> holds globs relative to the source:
/// a pattern without <c>/</c> matches a name at any depth (<c>*.pyc</c>), one with <c>/</c> is
/// anchored at the source (<c>cache/**</c>); an excluded directory excludes all it contains.
/// </summary>
public class SyncDirectory(string path) : FileComponent(path)
{
    private const int Shown = 5;

    /// <summary>The directory to copy from (relative to the defdir, or absolute).</summary>
    public string? Source { get; set; }

    /// <summary>Glob patterns (relative to <see cref="Source"/>) of files and directories not to copy.</summary>
    public IReadOnlyList<string> Exclude { get; set; } = [];

    private List<SyncExclusion> _exclusions = [];
    private List<SyncChange>? _changes;

    /// <summary>The absolute path of <see cref="Source"/>.</summary>
    [NotASetting]
    public string SourcePath => System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(Source!) ? Source! : System.IO.Path.Combine(Defdir, Source!));

    protected override void Configure()
    {
        if (string.IsNullOrWhiteSpace(Source))
            throw new ConfigurationError("SyncDirectory requires a source to sync from.");
        _exclusions = Exclude.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => new SyncExclusion(e)).ToList();
    }

    protected override void Verify()
    {
        _changes = null;
        if (!System.IO.Directory.Exists(SourcePath))
        {
            if (Predicting) throw new UpdateNeeded($"source {Source} does not exist yet");
            throw new DirectoryNotFoundException($"Source directory {SourcePath} of {Breadcrumb} does not exist");
        }
        var changes = Plan();
        if (changes.Count == 0) return;
        _changes = changes;
        var names = string.Join(", ", changes.Take(Shown).Select(c => c.Relative == "." ? OriginalPath + "/" : c.Relative + (c.Kind == SyncKind.Directory ? "/" : "")));
        var more = changes.Count > Shown ? $" and {changes.Count - Shown} more" : "";
        throw new UpdateNeeded($"{changes.Count} {(changes.Count == 1 ? "file differs" : "files differ")} from {Source}: {names}{more}");
    }

    protected override void Update()
    {
        PrepareTarget();
        foreach (var change in _changes ?? Plan())
        {
            if (change.Relative == ".") continue;
            var source = System.IO.Path.Combine(SourcePath, change.Relative);
            var target = System.IO.Path.Combine(Path, change.Relative);
            if (!change.TargetIsCompatible) RemovePath(target);
            switch (change.Kind)
            {
                case SyncKind.Directory:
                    System.IO.Directory.CreateDirectory(target);
                    break;
                case SyncKind.Symlink:
                    System.IO.File.CreateSymbolicLink(target, new FileInfo(source).LinkTarget!);
                    break;
                default:
                    var mode = System.IO.File.Exists(target) ? (UnixFileMode?)null : System.IO.File.GetUnixFileMode(source);
                    WriteAtomically(target, System.IO.File.ReadAllBytes(source), mode);
                    break;
            }
        }
        _changes = null;
    }

    /// <summary>What has to be written, in source order (directories before their content).</summary>
    private List<SyncChange> Plan()
    {
        var changes = new List<SyncChange>();
        if (!IsDirectory(Path))
            changes.Add(new SyncChange(".", SyncKind.Directory, TargetIsCompatible: false));
        Walk(new DirectoryInfo(SourcePath), "", changes);
        return changes;
    }

    private void Walk(DirectoryInfo dir, string prefix, List<SyncChange> changes)
    {
        foreach (var entry in dir.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var relative = prefix + entry.Name;
            var isDirectory = entry.LinkTarget is null && entry is DirectoryInfo;
            if (_exclusions.Any(e => e.Matches(relative, isDirectory))) continue;
            var target = System.IO.Path.Combine(Path, relative);
            if (entry.LinkTarget is { } link)
            {
                var current = new FileInfo(target).LinkTarget;
                if (current != link) changes.Add(new SyncChange(relative, SyncKind.Symlink, TargetIsCompatible: !GlobExists(target)));
            }
            else if (isDirectory)
            {
                if (!IsDirectory(target)) changes.Add(new SyncChange(relative, SyncKind.Directory, TargetIsCompatible: !GlobExists(target)));
                Walk((DirectoryInfo)entry, relative + "/", changes);
            }
            else if (entry is FileInfo file)
            {
                var targetInfo = new FileInfo(target);
                var regular = targetInfo.Exists && targetInfo.LinkTarget is null;
                if (!regular || !SameContent(file, targetInfo))
                    changes.Add(new SyncChange(relative, SyncKind.File, TargetIsCompatible: regular || !GlobExists(target)));
            }
        }
    }

    private void PrepareTarget()
    {
        if (IsDirectory(Path)) return;
        if (GlobExists(Path))
        {
            EnsurePathNonexistent();
        }
        else
        {
            var leading = Leading || (Parent is Directory d && d.Leading && d.Path == Path);
            if (!leading && !System.IO.Directory.Exists(System.IO.Path.GetDirectoryName(Path)))
                throw new DirectoryNotFoundException($"Parent directory of {Path} does not exist (set Leading = true to create it)");
        }
        System.IO.Directory.CreateDirectory(Path);
    }

    private static bool IsDirectory(string path) => System.IO.Directory.Exists(path);

    private static bool GlobExists(string path) => PathGlob.Lexists(path);

    private static void RemovePath(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists) info.Delete();
        else if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
    }

    private static bool SameContent(FileInfo source, FileInfo target)
    {
        if (source.Length != target.Length) return false;
        using var a = source.OpenRead();
        using var b = target.OpenRead();
        Span<byte> bufferA = stackalloc byte[16384];
        Span<byte> bufferB = stackalloc byte[16384];
        while (true)
        {
            var read = a.ReadAtLeast(bufferA, bufferA.Length, throwOnEndOfStream: false);
            if (read == 0) return true;
            if (b.ReadAtLeast(bufferB[..read], read, throwOnEndOfStream: false) != read) return false;
            if (!bufferA[..read].SequenceEqual(bufferB[..read])) return false;
        }
    }
}

internal enum SyncKind { File, Directory, Symlink }

/// <summary>One path below the target to write; <c>TargetIsCompatible</c> is false when something else is in the way.</summary>
internal sealed record SyncChange(string Relative, SyncKind Kind, bool TargetIsCompatible);

/// <summary>An exclude pattern: without <c>/</c> it matches any name, with <c>/</c> the path from the source root.</summary>
internal sealed class SyncExclusion(string pattern)
{
    private readonly bool _directoryOnly = pattern.EndsWith('/');
    private readonly bool _anchored = pattern.TrimEnd('/').Contains('/');
    private readonly System.Text.RegularExpressions.Regex _regex =
        PathGlob.ToRegex(pattern.Trim('/'), doubleStar: true);

    public bool Matches(string relative, bool isDirectory)
    {
        if (_directoryOnly && !isDirectory) return false;
        return _regex.IsMatch(_anchored ? relative : relative[(relative.LastIndexOf('/') + 1)..]);
    }
}
