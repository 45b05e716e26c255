using Batou.Web.Data;
using LibGit2Sharp;

namespace Batou.Web.Git;

/// <summary>The commits between two commits, in both directions, cut at <c>Limit</c>; the counts are exact up to the walk's bound.</summary>
public sealed record CommitRange(IReadOnlyList<CommitInfo> Ahead, int AheadCount, IReadOnlyList<CommitInfo> Behind, int BehindCount);

/// <summary>One path that differs between two commits, without its patch (cheap for thousands of files).</summary>
public sealed record ChangedPath(string Path, string Status, string? OldPath);

/// <summary>The patch of one file between two commits; <see cref="Binary"/> files have none.</summary>
public sealed record FilePatch(string Path, int Added, int Deleted, string Patch, bool Truncated, bool Binary, int FullLength);

public sealed partial class RepositoryCatalog
{
    private const int WalkBound = 50_000;

    /// <summary>
    /// Commits that <paramref name="to"/> has and <paramref name="from"/> has not (Ahead), and the reverse (Behind:
    /// a rollback goes back over them), touching the deployment repository; at most <paramref name="limit"/> of each listed.
    /// </summary>
    public Task<CommitRange> CommitsBetweenAsync(RepositoryEntity repo, string from, string to, int limit = 200, CancellationToken ct = default) =>
        Read(repo, new CommitRange([], 0, [], 0), git =>
        {
            if (Peel(git, from) is not { } f || Peel(git, to) is not { } t) return new CommitRange([], 0, [], 0);
            var (ahead, aheadCount) = Walk(git, t, f, repo.Subdirectory, limit);
            var (behind, behindCount) = Walk(git, f, t, repo.Subdirectory, limit);
            return new CommitRange(ahead, aheadCount, behind, behindCount);
        });

    private static (IReadOnlyList<CommitInfo>, int) Walk(Repository git, Commit include, Commit exclude, string subdirectory, int limit)
    {
        var list = new List<CommitInfo>();
        var count = 0;
        var walk = git.Commits.QueryBy(new CommitFilter
        {
            IncludeReachableFrom = include, ExcludeReachableFrom = exclude, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time,
        });
        foreach (var c in walk.Take(WalkBound))
        {
            if (!Touches(c, subdirectory)) continue;
            count++;
            if (list.Count < limit) list.Add(Info(c));
        }
        return (list, count);
    }

    /// <summary>The paths of the deployment repository that differ between two commits: a tree comparison, no patches.</summary>
    public Task<IReadOnlyList<ChangedPath>> ChangedPathsAsync(RepositoryEntity repo, string from, string to, CancellationToken ct = default) =>
        Read<IReadOnlyList<ChangedPath>>(repo, [], git =>
        {
            var (a, b) = (Peel(git, from) is { } f ? SubTree(f, repo.Subdirectory) : null, Peel(git, to) is { } t ? SubTree(t, repo.Subdirectory) : null);
            using var changes = git.Diff.Compare<TreeChanges>(a, b);
            return changes.Select(e => new ChangedPath(e.Path, e.Status.ToString().ToLowerInvariant(), e.OldPath != e.Path ? e.OldPath : null))
                .OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        });

    /// <summary>The patch of one path between two commits, cut after <paramref name="maxChars"/> characters; null when the path did not change.</summary>
    public Task<FilePatch?> FilePatchAsync(RepositoryEntity repo, string from, string to, string path, int maxChars = 100_000, CancellationToken ct = default) =>
        Read(repo, null, git =>
        {
            var (a, b) = (Peel(git, from) is { } f ? SubTree(f, repo.Subdirectory) : null, Peel(git, to) is { } t ? SubTree(t, repo.Subdirectory) : null);
            using var patch = git.Diff.Compare<Patch>(a, b, [path], new ExplicitPathsOptions { ShouldFailOnUnmatchedPath = false });
            if (patch.FirstOrDefault(e => e.Path == path) is not { } e) return (FilePatch?)null;
            var text = e.IsBinaryComparison ? "" : e.Patch;
            return new FilePatch(e.Path, e.LinesAdded, e.LinesDeleted, text.Length > maxChars ? text[..maxChars] : text, text.Length > maxChars, e.IsBinaryComparison, text.Length);
        });
}
