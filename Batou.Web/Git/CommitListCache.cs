using System.Collections.Concurrent;

namespace Batou.Web.Git;

/// <summary>
/// Commit lists by the tip they start from: history below a commit never changes, so a list is computed once per
/// (repository, tip, sub-directory, length). Bounded: past <see cref="Capacity"/> lists it starts over (a new tip per
/// fetch and branch is all that ever arrives, so that takes a long time).
/// </summary>
internal sealed class CommitListCache
{
    public const int Capacity = 512;
    private readonly ConcurrentDictionary<(string GitDir, string Tip, string Subdirectory, int Count), IReadOnlyList<CommitInfo>> _lists = new();

    public IReadOnlyList<CommitInfo> GetOrAdd(string gitDir, string tip, string subdirectory, int count, Func<IReadOnlyList<CommitInfo>> walk)
    {
        var key = (gitDir, tip, subdirectory, count);
        if (_lists.TryGetValue(key, out var list)) return list;
        list = walk();
        if (_lists.Count >= Capacity) _lists.Clear();
        _lists[key] = list;
        return list;
    }
}
