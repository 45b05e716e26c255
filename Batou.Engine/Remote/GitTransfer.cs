using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// The git update methods. The target directory holds a git checkout of the whole repository
/// (the deployment is in the same sub-directory as locally); the deployed branch's commit is
/// checked out there, forcibly, and the host's resulting HEAD must equal the local branch's commit.
/// </summary>
internal sealed class GitTransfer(LocalGit git, IRemoteTransport ssh, Host host, RemoteAccount account, string branch, CancellationToken token)
{
    /// <summary>The bundle of the last transfer stays on the host (inside <c>.git</c>) for inspection.</summary>
    public const string BundleName = ".git/batou.bundle";

    private string _method = "git";

    /// <summary>
    /// <c>git-bundle</c>: learn the host's HEAD, bundle only the commits it lacks (all of the branch
    /// when it has nothing we know), send the bundle over ssh stdin, fetch it and check it out.
    /// </summary>
    public void Bundle(string checkout)
    {
        _method = "git-bundle";
        var commit = LocalCommit();
        var init = Remote($"mkdir -p {Q(checkout)} && cd {Q(checkout)} && {{ test -d .git || git init -q; }} && {{ git rev-parse -q --verify 'HEAD^{{commit}}' || true; }}", null, "prepare");
        var hostHead = init.Stdout.Trim();
        var basis = hostHead.Length > 0 && IsHex(hostHead) && git.TryOutput("cat-file", "-e", hostHead + "^{commit}") is not null ? hostHead : null;
        var missing = basis is null ? null : git.TryOutput("rev-list", "--count", $"{basis}..{commit}");
        var checkoutCommands = $"{Checkout(commit)} && git rev-parse HEAD";
        if (missing == "0")
        {
            Verify(commit, Remote($"cd {Q(checkout)} && rm -f {BundleName} && {checkoutCommands}", null, "checkout"));
            return;
        }

        var scratch = Directory.CreateTempSubdirectory("batou-bundle-").FullName;   // private (0700): the bundle holds the repository
        var bundle = Path.Combine(scratch, "transfer.bundle");
        try
        {
            string[] range = basis is null ? [$"refs/heads/{branch}"] : [$"refs/heads/{branch}", "^" + basis];
            var created = git.Run(["bundle", "create", "-q", bundle, .. range]);
            if (created.ExitCode != 0)
                throw Failed("bundle", created.Stderr);
            using var stream = File.OpenRead(bundle);
            var script = $"cd {Q(checkout)} && cat > {BundleName} && git fetch -q {BundleName} {Q($"+refs/heads/{branch}:refs/batou/deployed")} && {checkoutCommands}";
            Verify(commit, Remote(script, stream, "fetch"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary><c>git-pull</c>: the host fetches the branch from <paramref name="url"/> and checks it out.</summary>
    public void Pull(string checkout, string url)
    {
        _method = "git-pull";
        var commit = LocalCommit();
        var script = $"mkdir -p {Q(checkout)} && cd {Q(checkout)} && {{ test -d .git || git init -q; }}"
            + $" && git -c protocol.ext.allow=never fetch -q {Q(url)} {Q($"+refs/heads/{branch}:refs/batou/deployed")}"
            + " && git -c advice.detachedHead=false checkout -q -f -B " + Q(branch) + " refs/batou/deployed && git rev-parse HEAD";
        Verify(commit, Remote(script, null, "fetch"), pulled: url);
    }

    private string LocalCommit() =>
        git.BranchCommit(branch) ?? throw new BatouException(BatouError.Create("BranchMissing", "The branch to deploy does not exist in the repository",
            ("Branch", branch), ("Repository", git.TopLevel), ("Host", host.Name)) with { Host = host.Name });

    private string Checkout(string commit) => $"git -c advice.detachedHead=false checkout -q -f -B {Q(branch)} {commit}";

    private ProcessResult Remote(string script, Stream? input, string step)
    {
        var result = ssh.Run(host, account.Command(script), token, input, ssh.Timeout + TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0) throw Failed(step, result.Stderr);
        return result;
    }

    /// <summary>The host's HEAD after the update must be the local branch's commit.</summary>
    private void Verify(string local, ProcessResult result, string? pulled = null)
    {
        var remote = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        if (remote == local) return;
        var details = new List<(string, string)> { ("Host", host.Name), ("Branch", branch), ("Local", local), ("Host has", remote.Length > 0 ? remote : "(nothing)") };
        if (pulled is not null) details.Add(("Pulled from", pulled));
        details.Add(("Hint", pulled is null ? "deploy again; if it persists the host's checkout is damaged" : "push the branch (the host only sees pushed commits), or check repository_url"));
        throw new BatouException(BatouError.Create("RepositoryDifferent", "The host's checkout is based on a different revision than the local branch.", [.. details]) with { Host = host.Name });
    }

    private BatouException Failed(string step, string stderr) =>
        new(BatouError.Create("TransferFailed", "Could not transfer the repository to the host",
            ("Host", host.Name), ("Method", _method), ("Step", step), ("git said", FirstLines(stderr))) with { Host = host.Name });

    private static string FirstLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("hint:", StringComparison.Ordinal)).Take(3);
        var joined = string.Join(" / ", lines);
        return joined.Length > 0 ? joined : "(no message)";
    }

    private static bool IsHex(string s) => s.Length is 40 or 64 && s.All(char.IsAsciiHexDigitLower);

    private static string Q(string word) => ShellQuote.Quote(word);
}
