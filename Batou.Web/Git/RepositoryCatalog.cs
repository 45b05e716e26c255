using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Batou.Web.Data;
using Batou.Web.Infrastructure;
using LibGit2Sharp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Git;

public sealed record BranchInfo(string Name, string Head, DateTimeOffset Date);

public sealed record CommitInfo(string Hash, string Author, DateTimeOffset Date, string Message)
{
    public string Short => Hash[..10];
}

/// <summary>
/// Deployment repositories as bare clones under the data folder, read in process with LibGit2Sharp: branches,
/// commits, trees and diffs at any commit, and commits extracted into directories the engine can read.
/// A local path inside a larger git repository is cloned from its top level; <see cref="RepositoryEntity.Subdirectory"/>
/// remembers where the deployment repository sits in it. libgit2 objects are not thread-safe: a read rents an open
/// repository that nobody else uses meanwhile (<see cref="GitHandles"/>; a fetch closes the handles opened before it).
/// </summary>
public sealed partial class RepositoryCatalog(IServiceScopeFactory scopes, IOptions<BatouWebOptions> options, ILogger<RepositoryCatalog> log) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly GitHandles _handles = new();
    private readonly CommitListCache _commitLists = new();
    private string Data => options.Value.DataPath;

    public string GitDir(RepositoryEntity repo) => Path.Combine(Data, "repos", repo.Name + ".git");

    public async Task<RepositoryEntity?> FindAsync(string name, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BatouDb>().Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name && r.RemovedUtc == null, ct);
    }

    public async Task<List<RepositoryEntity>> AllAsync(CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BatouDb>().Repositories.AsNoTracking().Where(r => r.RemovedUtc == null).OrderBy(r => r.Name).ToListAsync(ct);
    }

    /// <summary>Adds a repository and clones it; a clone failure is kept as its <see cref="RepositoryEntity.LastError"/>.</summary>
    public async Task<RepositoryEntity> AddAsync(string name, string url, CancellationToken ct = default, string? sshClient = null)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            // a removed (archived) repository of that name comes back with its history
            if (await db.Repositories.FirstOrDefaultAsync(r => r.Name == name && r.RemovedUtc != null, ct) is { } archived)
                (archived.Url, archived.SshClient, archived.RemovedUtc, archived.RemovedBy, archived.LastError) = (url, sshClient, null, null, null);
            else db.Repositories.Add(new RepositoryEntity { Name = name, Url = url, CreatedUtc = DateTime.UtcNow, SshClient = sshClient });
            await db.SaveChangesAsync(ct);
        }
        await FetchAsync(name, ct);
        return (await FindAsync(name, ct))!;
    }

    /// <summary>
    /// Clones (first time) or fetches all branches; records success or the error message. A failed fetch keeps
    /// the last good state: the clone is only replaced by a complete one.
    /// </summary>
    public async Task FetchAsync(string name, CancellationToken ct = default)
    {
        var repo = await FindAsync(name, ct) ?? throw new GitException($"unknown repository {name}");
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        string? error = null;
        var subdirectory = repo.Subdirectory;
        try
        {
            var gitDir = GitDir(repo);
            var ssh = SshCommand.For(repo.Name, repo.Url, options.Value.Repositories.FirstOrDefault(r => r.Name == repo.Name), Data);
            subdirectory = await Task.Run(() => Fetch(repo.Url, gitDir, ssh), ct);
            _handles.Invalidate(gitDir);   // new refs and packs: the next read opens the repository afresh
        }
        catch (Exception e) when (e is GitException or LibGit2SharpException or IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            log.LogWarning("Repository {Name} ({Url}) could not be fetched: {Error}", repo.Name, repo.Url, e.Message);
        }
        finally
        {
            gate.Release();
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        await db.Repositories.Where(r => r.Id == repo.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.LastError, error)
            .SetProperty(r => r.Subdirectory, subdirectory)
            .SetProperty(r => r.LastFetchUtc, error == null ? DateTime.UtcNow : repo.LastFetchUtc), ct);
    }

    private static readonly string[] AllBranches = ["+refs/heads/*:refs/heads/*"];

    /// <returns>the sub-directory of the deployment repository inside the cloned repository</returns>
    /// <summary>
    /// A first fetch goes into a fresh bare repository (renamed into place once it worked), later ones into the
    /// existing clone. ssh URLs run the system ssh through <paramref name="sshCommand"/> (libgit2's exec transport).
    /// </summary>
    private static string Fetch(string url, string gitDir, string? sshCommand)
    {
        var (source, subdirectory) = ResolveSource(url);
        if (System.IO.Directory.Exists(gitDir))
        {
            FetchInto(gitDir, source, sshCommand);
            return subdirectory;
        }
        var tmp = gitDir + ".tmp";
        if (System.IO.Directory.Exists(tmp)) System.IO.Directory.Delete(tmp, true);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(gitDir)!);
        Repository.Init(tmp, isBare: true);
        FetchInto(tmp, source, sshCommand);
        System.IO.Directory.Move(tmp, gitDir);
        return subdirectory;
    }

    private static void FetchInto(string gitDir, string source, string? sshCommand)
    {
        using var git = new Repository(gitDir);
        if (git.Network.Remotes["origin"] is not { } origin) git.Network.Remotes.Add("origin", source);
        else if (origin.Url != source) git.Network.Remotes.Update("origin", r => r.Url = source);
        if (sshCommand is not null) git.Config.Set("core.sshCommand", sshCommand);
        else if (git.Config.Get<string>("core.sshCommand") is not null) git.Config.Unset("core.sshCommand");
        Commands.Fetch(git, "origin", AllBranches, new FetchOptions { Prune = true }, null);
        // HEAD of a fresh bare repository names "master"; point it at a branch that exists
        if (git.Head.Tip is not null) return;
        var branch = git.Branches.FirstOrDefault(b => !b.IsRemote && b.FriendlyName is "main" or "master") ?? git.Branches.FirstOrDefault(b => !b.IsRemote);
        if (branch is not null) git.Refs.UpdateTarget("HEAD", branch.CanonicalName);
    }

    /// <summary>A local directory is cloned from the top of its git repository; anything else is a git URL.</summary>
    private static (string Source, string Subdirectory) ResolveSource(string url)
    {
        var local = LocalPath(url);
        if (local is null) return (url, "");
        var discovered = Repository.Discover(local) ?? throw new GitException($"'{url}' is not inside a git repository");
        using var git = new Repository(discovered);
        var top = git.Info.WorkingDirectory ?? git.Info.Path;
        var prefix = Path.GetRelativePath(top, Path.GetFullPath(local)).Replace('\\', '/');
        return (top.TrimEnd('/'), prefix == "." ? "" : prefix.TrimEnd('/'));
    }

    internal static string? LocalPath(string url)
    {
        if (url.Contains("://", StringComparison.Ordinal) || Regex.IsMatch(url, @"^[\w.-]+@[\w.-]+:")) return null;
        if (Path.IsPathRooted(url)) return System.IO.Directory.Exists(url) ? url : throw new GitException($"'{url}' is not a directory");
        // relative paths: from the working directory, else from the directories above the application
        for (var dir = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, url))) return Path.Combine(dir.FullName, url);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, url))) return Path.Combine(dir.FullName, url);
        throw new GitException($"'{url}' is not a directory");
    }

    public Task<IReadOnlyList<BranchInfo>> BranchesAsync(RepositoryEntity repo, CancellationToken ct = default) =>
        Read<IReadOnlyList<BranchInfo>>(repo, [], git => git.Branches.Where(b => !b.IsRemote && b.Tip is not null)
            .Select(b => new BranchInfo(b.FriendlyName, b.Tip.Sha, b.Tip.Committer.When))
            .OrderByDescending(b => b.Date).ToList());

    /// <summary>
    /// Recent commits of <paramref name="rev"/> that change the deployment repository (its sub-directory), newest first:
    /// the first-parent line of the branch (what was on it, merges included, not the commits of merged branches one by
    /// one). Unsorted, libgit2 walks lazily and stops after <paramref name="count"/> matches; any sorting (time or
    /// topological) makes it walk the whole history first, and time alone orders commits of the same second wrongly.
    /// The list of a tip never changes: it is cached by the tip's id, so only a new tip walks again.
    /// </summary>
    public Task<IReadOnlyList<CommitInfo>> CommitsAsync(RepositoryEntity repo, string rev, int count = 25, CancellationToken ct = default) =>
        Read<IReadOnlyList<CommitInfo>>(repo, [], git =>
        {
            if (Peel(git, rev) is not { } tip) return [];
            return _commitLists.GetOrAdd(GitDir(repo), tip.Sha, repo.Subdirectory, count, () =>
            {
                var walk = git.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tip, FirstParentOnly = true, SortBy = CommitSortStrategies.None });
                return walk.Take(20_000).Where(c => Touches(c, repo.Subdirectory)).Take(count).Select(Info).ToList();
            });
        });

    /// <summary>The commit a hash, short hash or branch names; null when there is none (or the name is not a safe revision).</summary>
    public Task<CommitInfo?> ResolveAsync(RepositoryEntity repo, string rev, CancellationToken ct = default) =>
        !SafeRev().IsMatch(rev) ? Task.FromResult<CommitInfo?>(null) : Read(repo, null, git => Peel(git, rev) is { } c ? Info(c) : null);

    /// <summary>The git tree id of the deployment repository at a commit: equal trees deploy the same thing.</summary>
    public Task<string?> TreeAsync(RepositoryEntity repo, string commit, CancellationToken ct = default) =>
        Read(repo, null, git => Peel(git, commit) is { } c ? SubTree(c, repo.Subdirectory)?.Sha : null);

    /// <summary>The git tree ids of the deployment repository at several commits (one read); commits that do not exist are left out.</summary>
    public Task<IReadOnlyDictionary<string, string>> TreesAsync(RepositoryEntity repo, IEnumerable<string> commits, CancellationToken ct = default) =>
        Read<IReadOnlyDictionary<string, string>>(repo, new Dictionary<string, string>(), git =>
        {
            var trees = new Dictionary<string, string>();
            foreach (var commit in commits.Distinct())
                if (Peel(git, commit) is { } c && SubTree(c, repo.Subdirectory) is { } t) trees[commit] = t.Sha;
            return trees;
        });

    /// <summary>One file of the deployment repository at a commit (path relative to it); null when it does not exist.</summary>
    public Task<string?> FileAsync(RepositoryEntity repo, string commit, string path, CancellationToken ct = default) =>
        Read(repo, null, git => Peel(git, commit) is { } c && c[Join(repo.Subdirectory, path)]?.Target is Blob b && !b.IsBinary ? b.GetContentText() : null);

    /// <summary>The files changed between two commits (within the deployment repository), with their patches.</summary>
    public Task<IReadOnlyList<FileChange>> ChangesAsync(RepositoryEntity repo, string? from, string to, int maxPatchChars = 200_000, CancellationToken ct = default) =>
        Read<IReadOnlyList<FileChange>>(repo, [], git =>
        {
            var target = Peel(git, to);
            if (target is null) return [];
            var baseTree = from is null ? target.Parents.FirstOrDefault() is { } p ? SubTree(p, repo.Subdirectory) : null
                : Peel(git, from) is { } f ? SubTree(f, repo.Subdirectory) : null;
            var patch = git.Diff.Compare<Patch>(baseTree, SubTree(target, repo.Subdirectory));
            return patch.Select(e => new FileChange(e.Path, e.Status.ToString().ToLowerInvariant(), e.LinesAdded, e.LinesDeleted,
                e.IsBinaryComparison ? "" : e.Patch.Length > maxPatchChars ? e.Patch[..maxPatchChars] : e.Patch, e.Patch.Length > maxPatchChars)).ToList();
        });

    /// <summary>The deployment repository at <paramref name="commit"/>, extracted once under checkouts/ and reused.</summary>
    public async Task<string> CheckoutAsync(RepositoryEntity repo, string commit, CancellationToken ct = default)
    {
        var target = Path.Combine(Data, "checkouts", repo.Name, commit);
        if (System.IO.File.Exists(Path.Combine(target, ".batou-web-complete"))) return target;
        var gate = _locks.GetOrAdd(target, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (System.IO.File.Exists(Path.Combine(target, ".batou-web-complete"))) return target;
            var tmp = target + ".tmp";
            if (System.IO.Directory.Exists(tmp)) System.IO.Directory.Delete(tmp, true);
            if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, true);
            await ExtractAsync(repo, commit, tmp);
            await System.IO.File.WriteAllTextAsync(Path.Combine(tmp, ".batou-web-complete"), commit, ct);
            System.IO.Directory.Move(tmp, target);
            return target;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The directory deployments of one environment run in: the commit's files replace the previous ones,
    /// while <c>work/</c> (where local deployments put their files and the engine caches compiled components) stays.
    /// </summary>
    public async Task<string> PrepareDeployDirectoryAsync(RepositoryEntity repo, string environment, string commit, CancellationToken ct = default)
    {
        var target = Path.Combine(Data, "deploy", repo.Name, environment);
        System.IO.Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(target).EnumerateFileSystemInfos())
        {
            if (entry.Name is "work" or ".batou-lock") continue;
            if (entry is DirectoryInfo d) d.Delete(true);
            else entry.Delete();
        }
        await ExtractAsync(repo, commit, target);
        return target;
    }

    private Task ExtractAsync(RepositoryEntity repo, string commit, string target) =>
        Task.Run(() =>
        {
            if (!System.IO.Directory.Exists(GitDir(repo))) throw new GitException($"{repo.Name} has not been cloned yet.");
            using var lease = _handles.Rent(GitDir(repo));
            var git = lease.Git;
            var c = Peel(git, commit) ?? throw new GitException($"There is no commit {commit} in {repo.Name}.");
            var tree = SubTree(c, repo.Subdirectory) ?? throw new GitException($"{repo.Subdirectory}/ does not exist at {commit[..Math.Min(10, commit.Length)]} in {repo.Name}.");
            TreeExtractor.Extract(tree, target);
        });

    /// <summary>Runs a read on a thread-pool thread; a missing clone or unreadable repository gives <paramref name="fallback"/>.</summary>
    private Task<T> Read<T>(RepositoryEntity repo, T fallback, Func<Repository, T> read) =>
        !System.IO.Directory.Exists(GitDir(repo)) ? Task.FromResult(fallback) : Task.Run(() =>
        {
            try
            {
                using var lease = _handles.Rent(GitDir(repo));
                return read(lease.Git);
            }
            catch (LibGit2SharpException e)
            {
                log.LogWarning("Reading {Name} failed: {Error}", repo.Name, e.Message);
                return fallback;
            }
        });

    private static Commit? Peel(Repository git, string rev)
    {
        try
        {
            return git.Lookup(rev)?.Peel<Commit>();
        }
        catch (LibGit2SharpException)
        {
            return null;   // ambiguous or malformed: there is no such commit
        }
    }

    private static Tree? SubTree(Commit c, string subdirectory) =>
        subdirectory.Length == 0 ? c.Tree : c[subdirectory]?.Target as Tree;

    private static bool Touches(Commit c, string subdirectory)
    {
        if (subdirectory.Length == 0) return true;
        var mine = c[subdirectory]?.Target.Sha;
        var parent = c.Parents.FirstOrDefault();
        return parent is null ? mine is not null : mine != parent[subdirectory]?.Target.Sha;
    }

    private static string Join(string subdirectory, string path) => subdirectory.Length == 0 ? path.TrimStart('/') : subdirectory + "/" + path.TrimStart('/');

    private static CommitInfo Info(Commit c) => new(c.Sha, c.Author.Name, c.Author.When, c.MessageShort);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$")]
    private static partial Regex SafeRev();

    public void Dispose() => _handles.Dispose();
}

/// <summary>One file changed between two commits; <see cref="Patch"/> is cut at a size the page can show (<see cref="Truncated"/>).</summary>
public sealed record FileChange(string Path, string Status, int Added, int Deleted, string Patch, bool Truncated);
