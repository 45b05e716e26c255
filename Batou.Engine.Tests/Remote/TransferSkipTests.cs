using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// The transfer is skipped when the host already holds exactly what would be sent (the controller's
/// tree hash equals the one the host remembers, and the host's tree is untouched since). Whether
/// anything travelled is seen through a file edited on the host behind batou's back with the same
/// size and modification time: invisible to the host's manifest, so only a real transfer (rsync
/// --checksum, or the builtin client's SHA-256 comparison) puts the controller's content back.
/// </summary>
[Collection("ssh")]
public sealed class TransferSkipTests : IDisposable
{
    private const UnixFileMode Mode640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private readonly RemoteScenario _s = new();
    private TestRepository Repo => _s.Repo;

    private string Notes => _s.OnHost("host1", "components/single/notes.txt");

    private void Deployed(string client, string extra = "")
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single).Write("components/single/notes.txt", "one\n");
        _s.Environment("host1 = single", extra);
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("one\n", File.ReadAllText(Notes));
    }

    /// <summary>Rewrites a file on the host keeping its size and modification time.</summary>
    private static void QuietlyEdit(string path, string content)
    {
        var written = File.GetLastWriteTimeUtc(path);
        Assert.Equal(new FileInfo(path).Length, content.Length);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, written);
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Nothing_is_sent_when_nothing_changed_and_a_changed_added_deleted_or_re_moded_file_is(string client)
    {
        Deployed(client);

        QuietlyEdit(Notes, "ONE\n");
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("ONE\n", File.ReadAllText(Notes));   // nothing travelled

        Repo.Write("components/single/notes.txt", "two\n");   // changed locally, same size
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("two\n", File.ReadAllText(Notes));

        QuietlyEdit(Notes, "TWO\n");
        Repo.Write("components/single/added.txt", "added\n");
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("added\n", File.ReadAllText(_s.OnHost("host1", "components/single/added.txt")));
        Assert.Equal("two\n", File.ReadAllText(Notes));   // a whole transfer ran

        QuietlyEdit(Notes, "TWO\n");
        File.Delete(Repo.PathOf("components/single/added.txt"));
        AssertSuccess(Repo.Deploy("remote"));
        Assert.False(File.Exists(_s.OnHost("host1", "components/single/added.txt")));
        Assert.Equal("two\n", File.ReadAllText(Notes));

        QuietlyEdit(Notes, "TWO\n");
        File.SetUnixFileMode(Repo.PathOf("components/single/notes.txt"), Mode640);
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal(Mode640, File.GetUnixFileMode(Notes));
        Assert.Equal("two\n", File.ReadAllText(Notes));

        Repo.Component("single", RemoteScenario.Single.Replace("5432", "5433", StringComparison.Ordinal));   // new compiled components
        AssertSuccess(Repo.Deploy("remote"));
        Assert.StartsWith("port 5433\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_tree_changed_on_the_host_is_noticed_and_repaired(string client)
    {
        Deployed(client);

        File.Delete(Notes);
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("one\n", File.ReadAllText(Notes));

        File.WriteAllText(Notes, "edited on the host\n");
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("one\n", File.ReadAllText(Notes));

        var stray = _s.OnHost("host1", "components/single/stray.txt");
        File.WriteAllText(stray, "not from the controller\n");
        AssertSuccess(Repo.Deploy("remote"));
        Assert.False(File.Exists(stray));

        var mode = File.GetUnixFileMode(Notes);
        File.SetUnixFileMode(Notes, Mode640 | UnixFileMode.UserExecute);
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal(mode, File.GetUnixFileMode(Notes));

        File.Delete(_s.OnHost("host1", "environments/remote/environment.cfg"));   // the agent would not even find its environment
        AssertSuccess(Repo.Deploy("remote"));
        Assert.True(File.Exists(_s.OnHost("host1", "environments/remote/environment.cfg")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Git_bundle_skips_an_unchanged_commit_and_sends_a_new_one(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single).Write("components/single/notes.txt", "one\n");
        _s.Environment("host1 = single", "update_method = git-bundle");
        GitTestRepo.InitAndCommit(Repo.Root);
        AssertSuccess(Repo.Deploy("remote"));

        QuietlyEdit(Notes, "ONE\n");
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("ONE\n", File.ReadAllText(Notes));   // nothing travelled, not even a checkout

        Repo.Write("components/single/notes.txt", "two\n");
        var second = GitTestRepo.Commit(Repo.Root, "two");
        AssertSuccess(Repo.Deploy("remote"));
        Assert.Equal("two\n", File.ReadAllText(Notes));
        Assert.Equal(second, GitTestRepo.Run(_s.OnHost("host1"), "rev-parse", "HEAD"));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_model_that_fails_to_configure_sends_nothing_and_reports_as_before(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single)
            .Component("broken", "public sealed class Broken : Component { protected override void Configure() => throw new System.InvalidOperationException(\"no database configured\"); }");
        _s.Environment("host1 = single\nhost2 = broken");
        var result = Repo.Deploy("remote");
        Assert.False(result.Success);
        Assert.Equal(Phase.Connect, result.Finished.FailedDuring);
        Assert.Contains(result.Errors, e => e.ToString().Contains("no database configured", StringComparison.Ordinal));
        Assert.Contains(result.Events, e => e is ConfigurationFailed);
        Assert.DoesNotContain(result.Events, e => e is ModelConfigured);
        Assert.False(Directory.Exists(_s.OnHost("host1", "components")));
        Assert.False(Directory.Exists(_s.OnHost("host2", "components")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void BATOU_TRANSFER_SKIP_0_sends_every_time(string client)
    {
        Deployed(client);
        QuietlyEdit(Notes, "ONE\n");
        System.Environment.SetEnvironmentVariable("BATOU_TRANSFER_SKIP", "0");
        try
        {
            AssertSuccess(Repo.Deploy("remote"));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("BATOU_TRANSFER_SKIP", null);
        }
        Assert.Equal("one\n", File.ReadAllText(Notes));
    }

    private static void AssertSuccess(DeploymentResult result) =>
        Assert.True(result.Success, string.Join("\n", result.Errors.Select(e => e.ToString())));

    public void Dispose() => _s.Dispose();
}
