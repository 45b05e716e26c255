using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A git working copy of <see cref="Url"/> at <see cref="Target"/> (relative to the workdir),
/// following exactly one of <see cref="Branch"/>, <see cref="Tag"/> or <see cref="Revision"/>.
/// <para>
/// A missing clone or a different origin URL is cloned afresh (the target directory is emptied
/// first). With <see cref="VcsUpdate"/> an existing clone is compared with the remote
/// (<c>git ls-remote</c>, read-only): behind its branch, on another tag or revision ⇒ update
/// (<c>fetch</c>, <c>reset --hard</c>, untracked files removed, submodules updated). A dirty
/// working copy (including untracked files) is never discarded silently: without
/// <see cref="Clobber"/> the deployment fails with "Refusing to clobber dirty work directory.".
/// </para>
/// </summary>
public class Clone(string url) : Component
{
    /// <summary>The remote repository (any URL or path git accepts).</summary>
    [NotASetting] public string Url { get; } = url;

    public string Target { get; set; } = ".";
    public string? Branch { get; set; }
    public string? Tag { get; set; }
    public string? Revision { get; set; }

    /// <summary>Discard local changes instead of failing.</summary>
    public bool Clobber { get; set; }

    /// <summary>False: only ensure a clone of the right URL exists; never update it.</summary>
    public bool VcsUpdate { get; set; } = true;

    /// <summary>The absolute path of the working copy.</summary>
    [NotASetting] public string TargetPath => Map(Target);

    protected override string? BreadcrumbValue => UrlMask.Apply(Url);

    private bool _reclone;

    private GitRunner Git => new(this, Url, TargetPath);

    protected override void Configure()
    {
        var given = new[] { (nameof(Branch), Branch), (nameof(Tag), Tag), (nameof(Revision), Revision) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1).ToList();
        if (given.Count != 1)
            throw new ConfigurationError(
                $"Clone(\"{UrlMask.Apply(Url)}\"): set exactly one of Branch, Tag or Revision (got {(given.Count == 0 ? "none" : string.Join(", ", given))}).");
    }

    protected override void Verify()
    {
        _reclone = false;
        if (!System.IO.Directory.Exists(System.IO.Path.Combine(TargetPath, ".git")))
        {
            _reclone = true;
            throw new UpdateNeeded($"no clone in {Target}");
        }
        var origin = Git.TryOutput("remote", "get-url", "origin");
        if (origin != Url)
        {
            _reclone = true;
            throw new UpdateNeeded($"origin is {UrlMask.Apply(origin ?? "(none)")}, wanted {UrlMask.Apply(Url)}");
        }
        if (!VcsUpdate) return;

        var dirty = Git.Run("status", "--porcelain").Stdout.TrimEnd();
        if (dirty.Length > 0)
        {
            var files = string.Join(", ", dirty.Split('\n').Select(l => l.Length > 3 ? l[3..] : l).Take(10));
            if (!Clobber)
                throw new DeploymentError(
                    $"Refusing to clobber dirty work directory. {TargetPath} has local changes ({files}); commit them elsewhere or set Clobber = true.");
            Log($"Going to lose local changes in {TargetPath}: {files}");
            throw new UpdateNeeded("dirty working copy (Clobber = true)");
        }

        var head = Git.Output("rev-parse", "HEAD");
        var wanted = WantedCommit();
        if (wanted is null)
            throw new UpdateNeeded($"{Describe()} is not known locally");
        if (head != wanted)
            throw new UpdateNeeded($"at {head[..Math.Min(12, head.Length)]}, {Describe()} is {wanted[..Math.Min(12, wanted.Length)]}");
        if (Branch is not null && Git.TryOutput("symbolic-ref", "--short", "-q", "HEAD") != Branch)
            throw new UpdateNeeded($"not on branch {Branch}");
    }

    /// <summary>The commit the working copy should be at; null when it is not fetched yet.</summary>
    private string? WantedCommit()
    {
        if (Revision is not null)
            return Git.TryOutput("rev-parse", "--verify", "-q", Revision + "^{commit}");
        var refName = Branch is not null ? "refs/heads/" + Branch : "refs/tags/" + Tag;
        var lines = Git.Output("ls-remote", "origin", refName, refName + "^{}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        var line = lines.FirstOrDefault(l => l[1] == refName + "^{}") ?? lines.FirstOrDefault(l => l[1] == refName)
            ?? throw new DeploymentError($"{Describe()} does not exist in {UrlMask.Apply(Url)}.");
        return line[0];
    }

    private string Describe() => Branch is not null ? $"branch {Branch}" : Tag is not null ? $"tag {Tag}" : $"revision {Revision}";

    protected override void Update()
    {
        var target = TargetPath;
        if (_reclone || !System.IO.Directory.Exists(System.IO.Path.Combine(target, ".git")))
        {
            EmptyDirectory(target);
            Programs.Run(this, "git", ["clone", "--no-checkout", "--", Url, target], Workdir, scrub: s => UrlMask.Scrub(s, Url));
        }
        var git = Git;
        git.Run("clean", "-ffd");
        if (Branch is not null)
        {
            git.Run("fetch", "--prune", "origin");
            git.Run("checkout", "--force", "-B", Branch, "origin/" + Branch);
            git.Run("reset", "--hard", "origin/" + Branch);
        }
        else if (Tag is not null)
        {
            git.Run("fetch", "--force", "--tags", "origin");
            git.Run("checkout", "--force", "--detach", "refs/tags/" + Tag);
            git.Run("reset", "--hard", "refs/tags/" + Tag);
        }
        else
        {
            if (git.TryOutput("rev-parse", "--verify", "-q", Revision + "^{commit}") is null)
                git.Run("fetch", "origin");
            git.Run("checkout", "--force", "--detach", Revision!);
            git.Run("reset", "--hard", Revision!);
        }
        git.Run("clean", "-ffd");
        git.Run("submodule", "update", "--init", "--recursive");
    }

    /// <summary>Removes everything inside <paramref name="directory"/> (not the directory itself: it may be the workdir).</summary>
    private static void EmptyDirectory(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
            return;
        }
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo dir && dir.LinkTarget is null) dir.Delete(recursive: true);
            else entry.Delete();
        }
    }

    /// <summary>The commit time of the checked-out revision; null without a clone.</summary>
    public override DateTime? LastUpdated()
    {
        if (!System.IO.Directory.Exists(System.IO.Path.Combine(TargetPath, ".git"))) return null;
        var seconds = Git.TryOutput("log", "-1", "--format=%ct");
        return long.TryParse(seconds, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime : null;
    }
}
