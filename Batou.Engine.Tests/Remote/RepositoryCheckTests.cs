using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>The controller's repository checks for the git update methods: before any host is touched.</summary>
[Collection("ssh")]
public sealed class RepositoryCheckTests : IDisposable
{
    private readonly RemoteScenario _s = new();
    private TestRepository Repo => _s.Repo;

    private void GitBundleRepository()
    {
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "update_method = git-bundle");
        GitTestRepo.InitAndCommit(Repo.Root);
    }

    private DeploymentResult Deploy(bool dirty = false) =>
        TestRepository.DeployAsync(new DeploymentRequest(Repo.Root, "remote") { Dirty = dirty, Ssh = Repo.SshOptions }).GetAwaiter().GetResult();

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Uncommitted_and_untracked_files_are_refused_during_load_and_listed(string client)
    {
        Repo.SshClient = client;
        GitBundleRepository();
        Repo.Write("dirty.txt", "x").Write("components/single/component.cs", RemoteScenario.Single + "\n// changed\n");
        var result = Deploy();
        Assert.False(result.Success);
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        var error = result.Error("DirtyRepository");
        Assert.Equal("Your repository has uncommitted changes.", error.Message);
        Assert.Equal([" M components/single/component.cs", "?? dirty.txt"], error.Body!.Split('\n'));
        Assert.Empty(result.Of<HostConnecting>());
        Assert.False(Directory.Exists(_s.OnHost("host1")), "nothing may be touched on the host");
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void With_D_a_dirty_repository_deploys_the_last_commit_and_warns(string client)
    {
        Repo.SshClient = client;
        GitBundleRepository();
        Repo.Write("dirty.txt", "x");
        var result = Deploy(dirty: true);
        Assert.True(result.Success, result.ToString());
        var warning = Assert.Single(result.Warnings, w => w.Kind == "DirtyRepository");
        Assert.Equal("?? dirty.txt", warning.Body);
        Assert.True(File.Exists(_s.OnHost("host1", "work/single/db.conf")));
        Assert.False(File.Exists(_s.OnHost("host1", "dirty.txt")), "only committed files travel with git-bundle");
    }

    [Fact]
    public void The_CLI_refuses_a_dirty_repository_and_accepts_it_with_D()
    {
        GitBundleRepository();
        Repo.Write("dirty.txt", "x");
        var refused = Fixtures.Cli.Run(Repo.Root, "deploy", "remote");
        var output = refused.Stdout + refused.Stderr;
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Your repository has uncommitted changes.", output);
        Assert.Contains("?? dirty.txt", output);
        Assert.Contains("FAILED (during load)", output);

        var accepted = Fixtures.Cli.Run(Repo.Root, "deploy", "-D", "remote");
        Assert.True(accepted.ExitCode == 0, accepted.Stdout + accepted.Stderr);
        Assert.True(File.Exists(_s.OnHost("host1", "work/single/db.conf")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Commits_not_pushed_to_the_upstream_are_refused(string client)
    {
        Repo.SshClient = client;
        var origin = GitTestRepo.BareOrigin();
        _s.RemoveLater(origin);
        GitBundleRepository();
        GitTestRepo.Run(Repo.Root, "remote", "add", "origin", origin);
        GitTestRepo.Run(Repo.Root, "push", "-q", "-u", "origin", "main");
        GitTestRepo.Commit(Repo.Root, "one more");
        GitTestRepo.Commit(Repo.Root, "and another");

        var result = Deploy();
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        var error = result.Error("UnpushedCommits");
        Assert.Contains(error.Details, d => d.Label == "Ahead by" && d.Value == "2");
        Assert.Contains(error.Details, d => d.Label == "Upstream" && d.Value == "origin/main");
        Assert.Contains("and another", error.Body);

        GitTestRepo.Run(Repo.Root, "push", "-q");
        Assert.True(Deploy().Success);
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Another_branch_checked_out_is_refused(string client)
    {
        Repo.SshClient = client;
        GitBundleRepository();
        GitTestRepo.Run(Repo.Root, "checkout", "-q", "-b", "feature");
        var result = Deploy();
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        var error = result.Error("WrongBranch");
        Assert.Contains(error.Details, d => d.Label == "Checked out" && d.Value == "feature");
        Assert.Contains(error.Details, d => d.Label == "Deploys" && d.Value == "main");
        Assert.False(Directory.Exists(_s.OnHost("host1")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void The_branch_setting_chooses_what_is_deployed(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "update_method = git-bundle\nbranch = production");
        GitTestRepo.InitAndCommit(Repo.Root);
        Assert.Equal(Phase.Load, Deploy().Finished.FailedDuring);   // no branch production yet
        GitTestRepo.Run(Repo.Root, "checkout", "-q", "-b", "production");
        var commit = GitTestRepo.Commit(Repo.Root, "release");
        Assert.True(Deploy().Success);
        Assert.Equal(commit, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
        Assert.Equal("production", GitTestRepo.Run(_s.OnHost("host1"), "symbolic-ref", "--short", "HEAD"));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Git_methods_need_a_git_repository(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "update_method = git-pull");
        var result = Deploy();
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        Assert.Contains("git-pull", result.Error("NotAGitRepository").Message);
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Rsync_warns_about_uncommitted_changes_only_when_there_are_some(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single");
        GitTestRepo.InitAndCommit(Repo.Root);
        var clean = Deploy();
        Assert.True(clean.Success, clean.ToString());
        Assert.DoesNotContain(clean.Warnings, w => w.Kind == "NonVerifyingRepository");

        Repo.Write("dirty.txt", "x");
        var dirty = Deploy();
        Assert.True(dirty.Success, dirty.ToString());
        var warning = Assert.Single(dirty.Warnings, w => w.Kind == "NonVerifyingRepository");
        Assert.StartsWith("You are using rsync", warning.Message);
        Assert.Equal("?? dirty.txt", warning.Body);
        Assert.True(File.Exists(_s.OnHost("host1", "dirty.txt")), "rsync ships the working copy as it is");
    }

    public void Dispose() => _s.Dispose();
}
