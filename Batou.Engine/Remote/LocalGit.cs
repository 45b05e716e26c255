using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// The deployment repository as git sees it on the controller: its top level (what the git update
/// methods ship) and the deployment's sub-directory inside it (empty when they are the same).
/// </summary>
internal sealed class LocalGit
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly CancellationToken _token;

    private LocalGit(string topLevel, string prefix, CancellationToken token)
    {
        TopLevel = topLevel;
        Prefix = prefix;
        _token = token;
    }

    public string TopLevel { get; }

    /// <summary>The deployment directory relative to <see cref="TopLevel"/>, with a trailing slash, or "".</summary>
    public string Prefix { get; }

    /// <summary>The git checkout containing <paramref name="baseDir"/>, or null when it is not in one.</summary>
    public static LocalGit? Find(string baseDir, CancellationToken token)
    {
        var result = ProcessRunner.Run("git", ["rev-parse", "--show-toplevel", "--show-prefix"], baseDir, null, s_timeout, token);
        if (result.ExitCode != 0) return null;
        var lines = result.Stdout.Split('\n');
        return new LocalGit(lines[0].Trim(), lines.Length > 1 ? lines[1].Trim() : "", token);
    }

    /// <summary>Runs git in the top level; null when it fails.</summary>
    public string? TryOutput(params string[] args)
    {
        var result = Run(args);
        return result.ExitCode == 0 ? result.Stdout.TrimEnd('\n', '\r') : null;
    }

    public ProcessResult Run(params string[] args) =>
        ProcessRunner.Run("git", ["-c", "core.quotePath=false", .. args], TopLevel, null, s_timeout, _token);

    /// <summary>The commit of a local branch (full hex id), or null when the branch does not exist.</summary>
    public string? BranchCommit(string branch) => TryOutput("rev-parse", "--verify", "-q", $"refs/heads/{branch}^{{commit}}");

    /// <summary>
    /// <c>git status --porcelain</c> of the whole checkout, without what batou itself writes into the
    /// deployment directory (<c>work/</c> with the compiled components, the lock file).
    /// </summary>
    public IReadOnlyList<string> Changes()
    {
        var result = Run("status", "--porcelain", "--", ".", $":(top,exclude){Prefix}work", $":(top,exclude){Prefix}.batou-lock");
        if (result.ExitCode != 0)
            throw new BatouException(BatouError.Create("GitFailed", "Could not read the repository's status",
                ("Repository", TopLevel), ("git said", result.Stderr.Trim())));
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The URL the hosts pull from with <c>git-pull</c>: <c>repository_url</c>, else the <c>origin</c> remote's URL.</summary>
    public string? PullUrl(string? configured) => configured ?? TryOutput("remote", "get-url", "origin");
}
