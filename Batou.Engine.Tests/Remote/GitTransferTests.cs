using System.Buffers.Binary;
using System.Text;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary><c>update_method = git-bundle</c> and <c>git-pull</c> over the loopback sshd, with real git repositories.</summary>
[Collection("ssh")]
public sealed class GitTransferTests : IDisposable
{
    private readonly RemoteScenario _s = new();
    private TestRepository Repo => _s.Repo;

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Git_bundle_ships_the_branch_and_a_file_deleted_locally_goes_away_on_the_host(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single).Write("components/single/obsolete.txt", "old");
        _s.Environment("host1 = single", "update_method = git-bundle");
        var first = GitTestRepo.InitAndCommit(Repo.Root);
        AssertSuccess(Repo.Deploy("remote"));

        Assert.Equal(first, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
        Assert.Equal("main", GitTestRepo.Run(_s.OnHost("host1"), "symbolic-ref", "--short", "HEAD"));
        Assert.True(File.Exists(_s.OnHost("host1", "components/single/obsolete.txt")));
        Assert.Equal("port 5432\nhost host1\nuser batou-host1\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));
        Assert.Equal("batou-host1", GitTestRepo.Owner(_s.OnHost("host1", "components/single/component.cs")));

        File.Delete(Repo.PathOf("components/single/obsolete.txt"));
        var second = GitTestRepo.Commit(Repo.Root, "remove obsolete");
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal(second, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
        Assert.False(File.Exists(_s.OnHost("host1", "components/single/obsolete.txt")));
        Assert.True(File.Exists(_s.OnHost("host1", "components/single/component.cs")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_second_deployment_sends_only_the_commits_the_host_lacks(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        for (var i = 0; i < 20; i++) Repo.Write($"components/single/data{i}.txt", new string((char)('a' + i), 100));
        _s.Environment("host1 = single", "update_method = git-bundle");
        var first = GitTestRepo.InitAndCommit(Repo.Root);
        AssertSuccess(Repo.Deploy("remote"));
        var (firstPrerequisites, firstObjects) = ReadBundle(_s.OnHost("host1", ".git/batou.bundle"));
        Assert.Empty(firstPrerequisites);
        Assert.True(firstObjects > 20, $"the first bundle holds the whole branch ({firstObjects} objects)");

        Repo.Write("environments/remote/environment.cfg", Repo.Read("environments/remote/environment.cfg") + "\n[component:single]\nport = 6000\n");
        var second = GitTestRepo.Commit(Repo.Root, "port 6000");
        var result = Repo.Deploy("remote");
        AssertSuccess(result);
        var (prerequisites, objects) = ReadBundle(_s.OnHost("host1", ".git/batou.bundle"));
        Assert.Equal([first], prerequisites);
        Assert.True(objects <= 5, $"only the new commit's objects travel, got {objects}");
        Assert.Equal(second, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
        Assert.StartsWith("port 6000\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));

        var bundled = File.GetLastWriteTimeUtc(_s.OnHost("host1", ".git/batou.bundle"));
        AssertSuccess(Repo.Deploy("remote"));   // nothing changed: nothing travels, the last bundle stays
        Assert.Equal(bundled, File.GetLastWriteTimeUtc(_s.OnHost("host1", ".git/batou.bundle")));

        File.Delete(_s.OnHost("host1", "components/single/component.cs"));   // the host's checkout damaged: a transfer, but no commit to send
        AssertSuccess(Repo.Deploy("remote"));   // nothing new: no bundle at all
        Assert.False(File.Exists(_s.OnHost("host1", ".git/batou.bundle")));
        Assert.True(File.Exists(_s.OnHost("host1", "components/single/component.cs")));
        Assert.Equal(second, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public async Task A_deployment_in_a_sub_directory_of_the_git_repository_lands_in_the_same_sub_directory(string client)
    {
        Repo.SshClient = client;
        Repo.Write("README.md", "the ops repository\n")
            .Write("deploy/ssh_config", Repo.Read("ssh_config"))
            .Write("deploy/components/single/component.cs", RemoteScenario.Single);
        File.Delete(Repo.PathOf("ssh_config"));
        _s.Environment("host1 = single", "update_method = git-bundle", directory: "deploy");
        var commit = GitTestRepo.InitAndCommit(Repo.Root);

        var result = await TestRepository.DeployAsync(new DeploymentRequest(Repo.PathOf("deploy"), "remote") { Ssh = Repo.SshOptions });
        AssertSuccess(result);
        Assert.Equal(commit, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
        Assert.True(File.Exists(_s.OnHost("host1", "README.md")));
        Assert.Equal("port 5432\nhost host1\nuser batou-host1\n", File.ReadAllText(_s.OnHost("host1", "deploy/work/single/db.conf")));
        Assert.False(Directory.Exists(_s.OnHost("host1", "work")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Git_pull_fetches_the_branch_from_the_origin_remote(string client)
    {
        Repo.SshClient = client;
        var origin = GitTestRepo.BareOrigin(owner: "batou-host1");
        _s.RemoveLater(origin);
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "update_method = git-pull");
        var commit = GitTestRepo.InitAndCommit(Repo.Root);
        GitTestRepo.Run(Repo.Root, "remote", "add", "origin", origin);
        GitTestRepo.Run(Repo.Root, "push", "-q", "-u", "origin", "main");

        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal(commit, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
        Assert.Equal(commit, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "refs/batou/deployed"));
        Assert.True(File.Exists(_s.OnHost("host1", "work/single/db.conf")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public async Task Git_pull_with_unpushed_commits_is_refused_and_with_D_the_revision_check_catches_it(string client)
    {
        Repo.SshClient = client;
        var origin = GitTestRepo.BareOrigin(owner: "batou-host1");
        _s.RemoveLater(origin);
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", $"update_method = git-pull\nrepository_url = {origin}");
        GitTestRepo.InitAndCommit(Repo.Root);
        GitTestRepo.Run(Repo.Root, "remote", "add", "origin", origin);
        GitTestRepo.Run(Repo.Root, "push", "-q", "-u", "origin", "main");
        var local = GitTestRepo.Commit(Repo.Root, "not pushed");

        var refused = Repo.Deploy("remote");
        Assert.False(refused.Success);
        Assert.Equal(Phase.Load, refused.Finished.FailedDuring);
        Assert.Contains("not pushed", refused.Error("UnpushedCommits").Body);

        var different = await TestRepository.DeployAsync(new DeploymentRequest(Repo.Root, "remote") { Dirty = true, Ssh = Repo.SshOptions });
        Assert.False(different.Success);
        Assert.Equal(Phase.Connect, different.Finished.FailedDuring);
        var error = different.Error("RepositoryDifferent");
        Assert.Equal("host1", error.Host);
        Assert.Contains(error.Details, d => d.Label == "Local" && d.Value == local);
        Assert.Contains(error.Details, d => d.Label == "Pulled from" && d.Value == origin);
    }

    /// <summary>The prerequisite commits and the pack's object count of a v2/v3 git bundle.</summary>
    private static (List<string> Prerequisites, uint Objects) ReadBundle(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pack = bytes.AsSpan().IndexOf("\n\nPACK"u8) + 2;
        var header = Encoding.UTF8.GetString(bytes, 0, pack).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var prerequisites = header.Where(l => l.StartsWith('-')).Select(l => l[1..].Split(' ')[0]).ToList();
        return (prerequisites, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(pack + 8, 4)));
    }

    private static void AssertSuccess(DeploymentResult result) =>
        Assert.True(result.Success, string.Join("\n", result.Errors.Select(e => e.ToString())));

    public void Dispose() => _s.Dispose();
}
