using Batou.Engine.Tests.Cli;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>A component package restored on the controller is shipped to an ssh target, and its templates resolve there.</summary>
[Collection("ssh")]
public sealed class ComponentPackageShippingTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _library = Path.Combine(Path.GetTempPath(), "batou-complib-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _version = "1.0.0-t" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _target = "cp-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public void Package_components_and_their_templates_deploy_on_an_ssh_host()
    {
        ComponentPackageTests.UseExampleRepository(_repo, _version);
        ComponentPackageTests.PackExample(_library, _repo.PathOf("feed"), _version);
        _repo.Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n[hosts]\nhost2 = greeting, site\n[component:greeting]\nname = remote team\n");
        SshHosts.Prepare(_repo);

        var result = _repo.Deploy("remote");

        Assert.True(result.Success, result.ToString());
        var work = Path.Combine(SshHosts.Home("host2"), _target, "work");
        Assert.Equal("Hello remote team, greetings from host2 (a template of the Acme.Batou.Greetings package).\n", File.ReadAllText(Path.Combine(work, "greeting", "greeting.txt")));
        Assert.Equal("*** deployed by batou ***\n", File.ReadAllText(Path.Combine(work, "site", "banner.txt")));
        Assert.Single(Directory.GetFiles(Path.Combine(work, ".batou", "packages"), "Acme.Batou.Greetings.dll", SearchOption.AllDirectories));

        var again = _repo.Deploy("remote");
        Assert.True(again.Success, again.ToString());
        Assert.Empty(again.Updated);
    }

    public void Dispose()
    {
        _repo.Dispose();
        if (Directory.Exists(_library)) Directory.Delete(_library, recursive: true);
        var dir = Path.Combine(SshHosts.Home("host2"), _target);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
