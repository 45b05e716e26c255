using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// Configuration values never become ssh options or remote shell code: each test tries to create
/// a marker file through the value and checks the marker never appears.
/// </summary>
[Collection("ssh")]
public sealed class InjectionTests : IDisposable
{
    private readonly RemoteScenario _s = new();
    private readonly string _marker = Path.Combine(Path.GetTempPath(), "batou-pwned-" + Guid.NewGuid().ToString("N")[..10]);
    private TestRepository Repo => _s.Repo;

    private DeploymentResult Deploy(string cfg, bool git = false)
    {
        Repo.Component("single", RemoteScenario.Single);
        Repo.Environment("remote", cfg);
        if (git) GitTestRepo.InitAndCommit(Repo.Root);
        var result = Repo.Deploy("remote");
        Assert.False(result.Success, result.ToString());
        Assert.False(File.Exists(_marker), "the injected command ran");
        return result;
    }

    [Fact]
    public void A_host_named_like_an_ssh_option_is_rejected_during_load()
    {
        var result = Deploy($"[environment]\nconnect_method = ssh\n\n[host:-oProxyCommand=touch {_marker}]\ncomponents = single\n");
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        Assert.Contains(result.Error("InvalidHostName").Details, d => d.Value.StartsWith("-oProxyCommand", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_domain_with_shell_or_option_syntax_is_rejected()
    {
        var result = Deploy($"[environment]\nconnect_method = ssh\nhost_domain = x -oProxyCommand=touch {_marker}\n\n[hosts]\nhost1 = single\n");
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        Assert.Equal("host1", result.Error("InvalidSetting").Host);
    }

    [Fact]
    public void A_service_user_with_shell_syntax_is_rejected_before_connecting()
    {
        var result = Deploy($"[environment]\nconnect_method = ssh\n\n[host:host1]\ncomponents = single\nservice_user = batou-host2; touch {_marker}\n");
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        var error = result.Error("InvalidSetting");
        Assert.Contains(error.Details, d => d.Label == "Setting" && d.Value == "service_user");
        Assert.Equal("host1", error.Host);
        Assert.Empty(result.Of<HostConnecting>());
    }

    [Theory]
    [InlineData("main;touch {0}")]
    [InlineData("$(touch {0})")]
    [InlineData("-b")]
    public void A_branch_with_shell_or_option_syntax_is_rejected(string branch)
    {
        var result = Deploy($"[environment]\nconnect_method = ssh\nupdate_method = git-bundle\nbranch = {string.Format(System.Globalization.CultureInfo.InvariantCulture, branch, _marker)}\n\n[hosts]\nhost1 = single\n", git: true);
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        Assert.Contains(result.Error("InvalidSetting").Details, d => d.Label == "Setting" && d.Value == "branch");
    }

    [Fact]
    public void A_repository_url_that_is_an_option_is_rejected()
    {
        var result = Deploy($"[environment]\nconnect_method = ssh\nupdate_method = git-pull\nrepository_url = --upload-pack=touch {_marker}\n\n[hosts]\nhost1 = single\n", git: true);
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        Assert.Contains(result.Error("InvalidSetting").Details, d => d.Label == "Setting" && d.Value == "repository_url");
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_repository_url_with_shell_syntax_reaches_git_as_one_quoted_word(string client)
    {
        Repo.SshClient = client;
        var url = $"/nonexistent/$(touch {_marker})/'`touch {_marker}`'.git";
        var result = Deploy($"[environment]\nconnect_method = ssh\nupdate_method = git-pull\ntarget_directory = ~/{_s.Target}\nrepository_url = {url}\n\n[hosts]\nhost1 = single\n", git: true);
        Assert.Equal(Phase.Connect, result.Finished.FailedDuring);
        var error = result.Error("TransferFailed");
        Assert.Equal("host1", error.Host);
        Assert.Contains(error.Details, d => d.Label == "git said" && d.Value.Contains("/nonexistent/$(touch", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _s.Dispose();
        if (File.Exists(_marker)) File.Delete(_marker);
    }
}
