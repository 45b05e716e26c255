using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// <c>service_user</c> / <c>require_sudo</c>: scripts/test-sshd.sh lets batou-host1 become
/// batou-host2 with <c>sudo -n</c> (and nothing else).
/// </summary>
[Collection("ssh")]
public sealed class ServiceUserTests : IDisposable
{
    private readonly RemoteScenario _s = new();
    private TestRepository Repo => _s.Repo;

    /// <summary>host1's login user deploying as batou-host2: the service user's home and files.</summary>
    private string AsService(string relative = "") => Path.Combine(SshHosts.Home("host2"), _s.Target, relative);

    [Theory]
    [InlineData("rsync", "openssh")]
    [InlineData("git-bundle", "openssh")]
    [InlineData("rsync", "builtin")]
    [InlineData("git-bundle", "builtin")]
    public void With_a_service_user_the_agent_and_the_transfer_run_as_that_user(string method, string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", $"service_user = batou-host2\nupdate_method = {method}");
        GitTestRepo.InitAndCommit(Repo.Root);
        var result = Repo.Deploy("remote");
        Assert.True(result.Success, result.ToString());

        Assert.Equal("port 5432\nhost host1\nuser batou-host2\n", File.ReadAllText(AsService("work/single/db.conf")));
        Assert.Equal("batou-host2", GitTestRepo.Owner(AsService("work/single/db.conf")));
        Assert.Equal("batou-host2", GitTestRepo.Owner(AsService("components/single/component.cs")));
        Assert.Equal("batou-host2", GitTestRepo.Owner(AsService("work/.batou/components")));
        Assert.False(Directory.Exists(_s.OnHost("host1")), "nothing lands in the login user's target directory");
        Assert.True(Directory.Exists(Path.Combine(SshHosts.Home("host2"), ".batou", "agent")), "the agent is installed for the service user");

        Assert.True(Repo.Deploy("remote").Success);
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_per_host_service_user_overrides_the_environment(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host3 = single", "service_user = batou-host3\n\n[host:host1]\ncomponents = single\nservice_user = batou-host2\n");
        var result = Repo.Deploy("remote");
        Assert.True(result.Success, result.ToString());
        Assert.Equal("batou-host2", GitTestRepo.Owner(AsService("work/single/db.conf")));
        Assert.Contains("user batou-host3\n", File.ReadAllText(_s.OnHost("host3", "work/single/db.conf")));   // already that user: no sudo
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Sudo_refusing_is_a_clear_error_naming_host_and_user(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "service_user = batou-host3");
        var result = Repo.Deploy("remote");
        Assert.False(result.Success);
        Assert.Equal(Phase.Connect, result.Finished.FailedDuring);
        var error = result.Error("SudoRefused");
        Assert.Equal("host1", error.Host);
        Assert.Contains("batou-host3", error.Message);
        Assert.Contains(error.Details, d => d.Label == "Login user" && d.Value == "batou-host1");
        Assert.Contains(error.Details, d => d.Label == "sudo said" && d.Value.Contains("password is required", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(SshHosts.Home("host3"), _s.Target)));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Require_sudo_false_deploys_as_the_login_user(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "service_user = batou-host3\nrequire_sudo = false");
        var result = Repo.Deploy("remote");
        Assert.True(result.Success, result.ToString());
        Assert.Contains("user batou-host1\n", File.ReadAllText(_s.OnHost("host1", "work/single/db.conf")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Require_sudo_true_uses_sudo_even_for_the_login_user_itself(string client)
    {
        Repo.SshClient = client;
        Repo.Component("single", RemoteScenario.Single);
        _s.Environment("host1 = single", "service_user = batou-host1\nrequire_sudo = true");
        var result = Repo.Deploy("remote");
        Assert.False(result.Success);   // batou-host1 may not sudo to itself in the test sudoers
        var error = result.Error("SudoRefused");
        Assert.Equal("host1", error.Host);
        Assert.Contains(error.Details, d => d.Label == "Login user" && d.Value == "batou-host1");
    }

    public void Dispose()
    {
        _s.Dispose();
        var dir = AsService();
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
