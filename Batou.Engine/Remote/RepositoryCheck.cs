using Batou.Engine.Api;
using Batou.Engine.Planning;

namespace Batou.Engine.Remote;

/// <summary>
/// Runs on the controller before any host is contacted (end of the load step): validates the
/// settings that reach remote shells and, for the git update methods, refuses a repository whose
/// deployed state would not be what git says — uncommitted or untracked files, commits not pushed
/// to the branch's upstream, another branch checked out — unless <c>-D</c> was given.
/// </summary>
internal static class RepositoryCheck
{
    public static void Run(ComponentModel model, bool allowDirty, Action<DeploymentEvent> emit, CancellationToken token)
    {
        var environment = model.Environment;
        var settings = environment.Settings;
        if (settings.ConnectMethod == "local") return;
        var errors = RemoteSettingsCheck.Errors(environment);
        if (errors.Count > 0) throw new BatouException(errors);

        emit(new StepStarted(Phase.Load, "repository", "Verifying repository ..."));
        var git = LocalGit.Find(environment.BaseDir, token);
        if (settings.UpdateMethod == "rsync")
        {
            if (git?.Changes() is { Count: > 0 } shipped)
                emit(new WarningRaised(BatouError.Create("NonVerifyingRepository",
                    "You are using rsync: the working copy is shipped as it is, uncommitted changes included. This is not verifiable -- continuing at your own risk.",
                    ("Repository", git.TopLevel)) with { Body = string.Join('\n', shipped) }));
            return;
        }

        var method = settings.UpdateMethod;
        var branch = settings.Branch;
        if (git is null)
            throw new BatouException(BatouError.Create("NotAGitRepository", $"update_method = {method} needs the deployment repository to be a git repository",
                ("Repository", environment.BaseDir), ("Hint", "git init and commit, or use update_method = rsync")));
        if (git.BranchCommit(branch) is null)
            throw new BatouException(BatouError.Create("BranchMissing", $"The branch to deploy does not exist in the repository",
                ("Branch", branch), ("Repository", git.TopLevel), ("Hint", "set `branch` in the environment's [environment] section (default: main)")));
        if (method == "git-pull")
        {
            var url = git.PullUrl(settings.RepositoryUrl);
            if (url is null)
                throw new BatouException(BatouError.Create("NoRepositoryUrl", "update_method = git-pull needs a URL the hosts can fetch from",
                    ("Repository", git.TopLevel), ("Hint", "set repository_url in [environment], or add an `origin` remote")));
            if (!RemoteSettingsCheck.IsUrl(url))
                throw new BatouException(BatouError.Create("InvalidSetting", "The origin remote's URL cannot be used for git-pull",
                    ("URL", url), ("Hint", "set repository_url in [environment]")));
        }

        var changes = git.Changes();
        var current = git.TryOutput("symbolic-ref", "--short", "-q", "HEAD");
        var upstream = git.TryOutput("rev-parse", "--abbrev-ref", "--symbolic-full-name", $"{branch}@{{upstream}}");
        var unpushed = upstream is null ? [] : (git.TryOutput("log", "--oneline", "--no-decorate", $"{upstream}..refs/heads/{branch}") ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var problems = new List<BatouError>();
        if (changes.Count > 0)
            problems.Add(BatouError.Create("DirtyRepository", "Your repository has uncommitted changes.",
                ("Refusing", "the hosts get committed files only, so they would not get what you see"),
                ("Repository", git.TopLevel), ("Hint", "commit and push first, or deploy the last commit anyway with -D")) with { Body = string.Join('\n', changes) });
        if (current != branch)
            problems.Add(BatouError.Create("WrongBranch", "The repository is not on the branch this environment deploys.",
                ("Checked out", current ?? "(detached HEAD)"), ("Deploys", branch), ("Repository", git.TopLevel),
                ("Hint", $"git checkout {branch}, or set branch = … in the environment, or deploy {branch} anyway with -D")));
        if (unpushed.Length > 0)
            problems.Add(BatouError.Create("UnpushedCommits", $"The branch {branch} has commits that are not pushed to {upstream}.",
                ("Branch", branch), ("Upstream", upstream!), ("Ahead by", unpushed.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Hint", "git push first, or deploy anyway with -D" + (method == "git-pull" ? " (git-pull hosts only get pushed commits)" : ""))) with { Body = string.Join('\n', unpushed) });

        if (problems.Count == 0) return;
        if (!allowDirty) throw new BatouException(problems);
        foreach (var problem in problems)
            emit(new WarningRaised(problem with
            {
                Details = [.. problem.Details.Where(d => d.Label is not ("Refusing" or "Hint")),
                    new ErrorDetail("Deploying anyway", $"-D: the hosts get the last commit of {branch}, the components as compiled from the working copy")],
            }));
    }
}
