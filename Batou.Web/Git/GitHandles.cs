using System.Collections.Concurrent;
using LibGit2Sharp;

namespace Batou.Web.Git;

/// <summary>
/// Open libgit2 repositories kept for the next read instead of being opened for every one (opening reads the config,
/// the refs and the pack indexes again). A <see cref="Repository"/> is not thread-safe, so a handle belongs to one
/// reader at a time: <see cref="Rent"/> takes an idle one of that directory or opens a new one, disposing the lease
/// gives it back (at most <see cref="MaxIdle"/> stay open per directory). A fetch brings new refs and packs:
/// <see cref="Invalidate"/> closes the idle handles, and handles rented before it are closed when they come back.
/// </summary>
internal sealed class GitHandles : IDisposable
{
    public const int MaxIdle = 4;
    private readonly ConcurrentDictionary<string, Pool> _pools = new(StringComparer.Ordinal);
    private bool _disposed;

    internal sealed class Pool
    {
        public readonly Lock Gate = new();
        public readonly Stack<Repository> Idle = new();
        public int Generation;
    }

    public Lease Rent(string gitDir)
    {
        var pool = _pools.GetOrAdd(gitDir, _ => new Pool());
        int generation;
        lock (pool.Gate)
        {
            if (pool.Idle.TryPop(out var idle)) return new Lease(this, pool, idle, pool.Generation);
            generation = pool.Generation;
        }
        return new Lease(this, pool, new Repository(gitDir), generation);
    }

    /// <summary>The repository at <paramref name="gitDir"/> changed (fetched): no handle opened before is used again.</summary>
    public void Invalidate(string gitDir)
    {
        if (!_pools.TryGetValue(gitDir, out var pool)) return;
        Repository[] idle;
        lock (pool.Gate)
        {
            pool.Generation++;
            idle = [.. pool.Idle];
            pool.Idle.Clear();
        }
        foreach (var git in idle) git.Dispose();
    }

    private void Return(Pool pool, Repository git, int generation)
    {
        lock (pool.Gate)
        {
            if (!_disposed && generation == pool.Generation && pool.Idle.Count < MaxIdle)
            {
                pool.Idle.Push(git);
                return;
            }
        }
        git.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var dir in _pools.Keys) Invalidate(dir);
    }

    /// <summary>One reader's use of an open repository; dispose it to give the handle back.</summary>
    public sealed class Lease(GitHandles owner, Pool pool, Repository git, int generation) : IDisposable
    {
        private int _returned;
        public Repository Git { get; } = git;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0) owner.Return(pool, Git, generation);
        }
    }
}
