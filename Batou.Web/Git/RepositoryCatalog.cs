using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Batou.Web.Data;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Batou.Web.Git;

public sealed record BranchInfo(string Name, string Head, DateTimeOffset Date);

public sealed record CommitInfo(string Hash, string Author, DateTimeOffset Date, string Message)
{
    public string Short => Hash[..10];
}

/// <summary>
/// Deployment repositories as bare clones under the data folder (git CLI), their branches and commits,
/// and commits materialised into directories the engine can read.
/// A local path inside a larger git repository is cloned from its top level; <see cref="RepositoryEntity.Subdirectory"/>
/// remembers where the deployment repository sits in it.
/// </summary>
public sealed partial class RepositoryCatalog(IServiceScopeFactory scopes, IOptions<BatouWebOptions> options, ILogger<RepositoryCatalog> log)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private string Data => options.Value.DataPath;

    public string GitDir(RepositoryEntity repo) => Path.Combine(Data, "repos", repo.Name + ".git");

    public async Task<RepositoryEntity?> FindAsync(string name, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BatouDb>().Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, ct);
    }

    public async Task<List<RepositoryEntity>> AllAsync(CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BatouDb>().Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
    }

    /// <summary>Adds a repository and clones it; a clone failure is kept as its <see cref="RepositoryEntity.LastError"/>.</summary>
    public async Task<RepositoryEntity> AddAsync(string name, string url, CancellationToken ct = default)
    {
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            db.Repositories.Add(new RepositoryEntity { Name = name, Url = url, CreatedUtc = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
        }
        await FetchAsync(name, ct);
        return (await FindAsync(name, ct))!;
    }

    /// <summary>Clones (first time) or fetches all branches; records success or the error message.</summary>
    public async Task FetchAsync(string name, CancellationToken ct = default)
    {
        var repo = await FindAsync(name, ct) ?? throw new GitException($"unknown repository {name}");
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        string? error = null;
        var subdirectory = repo.Subdirectory;
        try
        {
            var (source, sub) = await ResolveSourceAsync(repo.Url, ct);
            subdirectory = sub;
            var gitDir = GitDir(repo);
            if (!Directory.Exists(gitDir))
            {
                var tmp = gitDir + ".tmp";
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                Directory.CreateDirectory(Path.GetDirectoryName(gitDir)!);
                await GitCli.RunAsync(null, ["clone", "--bare", "--quiet", "--", source, tmp], ct, TimeSpan.FromMinutes(10));
                Directory.Move(tmp, gitDir);
            }
            await GitCli.RunAsync(null, ["--git-dir", gitDir, "fetch", "--prune", "--quiet", "origin", "+refs/heads/*:refs/heads/*"], ct, TimeSpan.FromMinutes(10));
        }
        catch (Exception e) when (e is GitException or IOException)
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

    /// <summary>A local directory is cloned from the top of its git repository; anything else is a git URL.</summary>
    private static async Task<(string Source, string Subdirectory)> ResolveSourceAsync(string url, CancellationToken ct)
    {
        var local = LocalPath(url);
        if (local is null) return (url, "");
        var top = (await GitCli.RunAsync(local, ["rev-parse", "--show-toplevel"], ct)).Trim();
        var prefix = (await GitCli.RunAsync(local, ["rev-parse", "--show-prefix"], ct)).Trim().TrimEnd('/');
        return (top, prefix);
    }

    internal static string? LocalPath(string url)
    {
        if (url.Contains("://", StringComparison.Ordinal) || Regex.IsMatch(url, @"^[\w.-]+@[\w.-]+:")) return null;
        if (Path.IsPathRooted(url)) return Directory.Exists(url) ? url : throw new GitException($"'{url}' is not a directory");
        // relative paths: from the working directory, else from the directories above the application
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, url))) return Path.Combine(dir.FullName, url);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, url))) return Path.Combine(dir.FullName, url);
        throw new GitException($"'{url}' is not a directory");
    }

    public async Task<IReadOnlyList<BranchInfo>> BranchesAsync(RepositoryEntity repo, CancellationToken ct = default)
    {
        if (!Directory.Exists(GitDir(repo))) return [];
        var output = await GitCli.RunAsync(null, ["--git-dir", GitDir(repo), "for-each-ref", "--sort=-committerdate",
            "--format=%(refname:short)%09%(objectname)%09%(committerdate:iso-strict)", "refs/heads"], ct);
        return Lines(output).Select(l => l.Split('\t')).Select(p => new BranchInfo(p[0], p[1], DateTimeOffset.Parse(p[2]))).ToList();
    }

    /// <summary>Recent commits of <paramref name="rev"/> that touch the deployment repository.</summary>
    public async Task<IReadOnlyList<CommitInfo>> CommitsAsync(RepositoryEntity repo, string rev, int count = 25, CancellationToken ct = default)
    {
        List<string> args = ["--git-dir", GitDir(repo), "log", $"-n{count}", "--format=%H%x1f%an%x1f%aI%x1f%s", rev, "--"];
        if (repo.Subdirectory.Length > 0) args.Add(repo.Subdirectory);
        return Lines(await GitCli.RunAsync(null, args, ct)).Select(ParseCommit).ToList();
    }

    /// <summary>The full hash of a commit, branch or short hash; null when it does not exist.</summary>
    public async Task<CommitInfo?> ResolveAsync(RepositoryEntity repo, string rev, CancellationToken ct = default)
    {
        if (!SafeRev().IsMatch(rev) || !Directory.Exists(GitDir(repo))) return null;
        try
        {
            var output = await GitCli.RunAsync(null, ["--git-dir", GitDir(repo), "log", "-n1", "--format=%H%x1f%an%x1f%aI%x1f%s", rev + "^{commit}", "--"], ct);
            return Lines(output).Select(ParseCommit).FirstOrDefault();
        }
        catch (GitException)
        {
            return null;
        }
    }

    /// <summary>The git tree id of the deployment repository at a commit: equal trees deploy the same thing.</summary>
    public async Task<string?> TreeAsync(RepositoryEntity repo, string commit, CancellationToken ct = default)
    {
        try
        {
            return (await GitCli.RunAsync(null, ["--git-dir", GitDir(repo), "rev-parse", $"{commit}:{repo.Subdirectory}"], ct)).Trim();
        }
        catch (GitException)
        {
            return null;
        }
    }

    /// <summary>The deployment repository at <paramref name="commit"/>, extracted once under checkouts/ and reused.</summary>
    public async Task<string> CheckoutAsync(RepositoryEntity repo, string commit, CancellationToken ct = default)
    {
        var target = Path.Combine(Data, "checkouts", repo.Name, commit);
        if (File.Exists(Path.Combine(target, ".batou-web-complete"))) return target;
        var gate = _locks.GetOrAdd(target, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (File.Exists(Path.Combine(target, ".batou-web-complete"))) return target;
            if (Directory.Exists(target)) Directory.Delete(target, true);
            await GitCli.ArchiveAsync(GitDir(repo), $"{commit}:{repo.Subdirectory}", target, ct);
            await File.WriteAllTextAsync(Path.Combine(target, ".batou-web-complete"), commit, ct);
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
        Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(target).EnumerateFileSystemInfos())
        {
            if (entry.Name is "work" or ".batou-lock") continue;
            if (entry is DirectoryInfo d) d.Delete(true);
            else entry.Delete();
        }
        await GitCli.ArchiveAsync(GitDir(repo), $"{commit}:{repo.Subdirectory}", target, ct);
        return target;
    }

    private static CommitInfo ParseCommit(string line)
    {
        var p = line.Split('\x1f');
        return new CommitInfo(p[0], p[1], DateTimeOffset.Parse(p[2]), p.Length > 3 ? p[3] : "");
    }

    private static IEnumerable<string> Lines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$")]
    private static partial Regex SafeRev();
}
