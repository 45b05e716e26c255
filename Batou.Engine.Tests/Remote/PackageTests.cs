using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>Seed 003: a component uses a NuGet package (Microsoft.Data.Sqlite) on the target, over ssh.</summary>
[Collection("ssh")]
public sealed class PackageTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _target = "pk-" + Guid.NewGuid().ToString("N")[..10];

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_component_creates_a_sqlite_table_on_the_target_with_a_nuget_package(string client)
    {
        _repo.SshClient = client;
        var example = Path.Combine(SshHosts.RepoRoot(), "examples", "sqlite", "components");
        _repo.Write("components/packages.txt", File.ReadAllText(Path.Combine(example, "packages.txt")))
            .Write("components/inventory/component.cs", File.ReadAllText(Path.Combine(example, "inventory", "component.cs")))
            .Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n[hosts]\nhost2 = inventory\n");
        SshHosts.Prepare(_repo);

        var result = _repo.Deploy("remote");
        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Contains(result.Updated, u => u == "Inventory");
        var database = Path.Combine(SshHosts.Home("host2"), _target, "work", "inventory", "inventory.db");
        var bytes = File.ReadAllBytes(database);
        Assert.Equal("SQLite format 3\0", System.Text.Encoding.ASCII.GetString(bytes, 0, 16));
        Assert.Contains("CREATE TABLE items", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Single(Directory.GetFiles(Path.Combine(SshHosts.Home("host2"), _target, "work", ".batou", "packages"), "libe_sqlite3.so", SearchOption.AllDirectories));

        var again = _repo.Deploy("remote");
        Assert.True(again.Success, string.Join("\n", again.Errors));
        Assert.Empty(again.Updated);   // Verify queried the table through the package on the host
    }

    [Fact]
    public void A_malformed_package_line_names_the_file_and_line()
    {
        _repo.Write("components/packages.txt", "# packages\nMicrosoft.Data.Sqlite\n")
            .Component("hello", "public sealed class Hello : Component { }")
            .LocalEnvironment("hello");
        var result = _repo.Deploy();
        var error = result.Error("InvalidPackage");
        Assert.Equal(2, error.Line);
        Assert.Equal("components/packages.txt", error.File);
    }

    public void Dispose()
    {
        _repo.Dispose();
        var dir = Path.Combine(SshHosts.Home("host2"), _target);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
