using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Configuration;

/// <summary>
/// <c>[vfs]</c>: a production-like environment (absolute paths under /etc, /srv, /var/log) deployed
/// on this machine with its paths mapped into the repository (reference §2 [vfs], scenario #29).
/// </summary>
public sealed class VfsTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _id = Guid.NewGuid().ToString("N")[..10];

    /// <summary>A component as a production deployment writes it: absolute paths only, one of them a mapped setting.</summary>
    private string ProductionComponent => $$"""
        public sealed class App : Component
        {
            [Mapped] public string LogDir { get; set; } = "/var/log/vfs-{{_id}}";
            public int Port { get; set; } = 8080;

            protected override void Configure()
            {
                Add(new Directory("/srv/vfs-{{_id}}/app/logs") { Leading = true });
                Add(new File("/etc/vfs-{{_id}}/app.conf") { Content = $"port = {Port}\nlogs = {LogDir}\n", Leading = true });
                Add(new File("relative.txt") { Content = "stays in the workdir\n" });
            }
        }
        """;

    private string[] ProductionPaths => [$"/srv/vfs-{_id}", $"/etc/vfs-{_id}", $"/var/log/vfs-{_id}"];

    [Fact]
    public void Developer_sandbox_puts_every_absolute_path_under_work_underscore_and_maps_marked_settings()
    {
        _repo.Component("app", ProductionComponent)
            .LocalEnvironment("app", $"\n[vfs]\nsandbox = Developer\n\n[component:app]\nport = 9000\nlog_dir = /var/log/vfs-{_id}/app\n");

        var result = _repo.Deploy();

        Assert.True(result.Success, result.ToString());
        var conf = _repo.Read($"work/_/etc/vfs-{_id}/app.conf");
        Assert.Equal($"port = 9000\nlogs = {_repo.Work($"_/var/log/vfs-{_id}/app")}\n", conf);
        Assert.True(Directory.Exists(_repo.Work($"_/srv/vfs-{_id}/app/logs")));
        Assert.Equal("stays in the workdir\n", _repo.Read("work/app/relative.txt"));
        Assert.All(ProductionPaths, p => Assert.False(Path.Exists(p), p + " was written outside the sandbox"));
        Assert.Contains(result.Updated, u => u.Contains($"File('work/_/etc/vfs-{_id}/app.conf')", StringComparison.Ordinal));

        var again = _repo.Deploy();
        Assert.True(again.Success, again.ToString());
        Assert.Empty(again.Updated);
    }

    [Fact]
    public void Map_sandbox_rewrites_the_longest_matching_prefix_and_leaves_other_paths_alone()
    {
        var srv = Path.Combine(_repo.Root, "mapped-srv");
        var logs = Path.Combine(_repo.Root, "mapped-logs");
        _repo.Component("app", ProductionComponent)
            .LocalEnvironment("app", $"""

                [vfs]
                sandbox = Map
                /srv = {srv}
                /srv/vfs-{_id}/app/logs = {logs}
                /etc/vfs-{_id}/ = mapped-etc
                /var/log = {logs}-var
                """);

        var result = _repo.Deploy();

        Assert.True(result.Success, result.ToString());
        Assert.True(Directory.Exists(logs), "the longer prefix /srv/…/app/logs wins over /srv");
        Assert.False(Directory.Exists(Path.Combine(srv, $"vfs-{_id}", "app", "logs")));
        Assert.Equal($"port = 8080\nlogs = {logs}-var/vfs-{_id}\n", _repo.Read("mapped-etc/app.conf"));   // relative: to the repository
        Assert.All(ProductionPaths, p => Assert.False(Path.Exists(p), p + " was written outside the mapping"));
    }

    [Fact]
    public void Unknown_sandbox_is_an_error_naming_file_and_line()
    {
        _repo.Component("app", ProductionComponent)
            .LocalEnvironment("app", "\n[vfs]\nsandbox = Production\n");

        var result = _repo.Deploy();

        Assert.False(result.Success);
        var error = result.Error("UnknownSandbox");
        Assert.Equal("environments/test/environment.cfg", error.File);
        Assert.Equal(8, error.Line);
        Assert.Contains("Production", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Details, d => d.Value == "Developer, Map");
        Assert.False(Directory.Exists(_repo.Work()), "nothing is deployed");
    }

    [Fact]
    public void Map_lines_outside_Map_and_keys_without_a_slash_are_warned_about_and_ignored()
    {
        _repo.Environment("env", "[environment]\nconnect_method = local\n[hosts]\nlocalhost = app\n[vfs]\nsandbox = Map\nsrv = /tmp/x\n/opt/ = /tmp/opt\n");
        var errors = new List<BatouError>();
        var warnings = new List<BatouError>();

        var config = EnvironmentLoader.Load(_repo.Root, "env", errors, warnings);

        Assert.Empty(errors);
        Assert.Equal(7, Assert.Single(warnings).Line);
        Assert.Equal([("/opt", "/tmp/opt")], config!.Vfs!.Prefixes);
        Assert.Equal("/tmp/opt/a", config.Vfs.Apply("/opt/a", "/w"));
        Assert.Equal("/optional/a", config.Vfs.Apply("/optional/a", "/w"));   // whole segments only
    }

    public void Dispose()
    {
        _repo.Dispose();
        foreach (var p in ProductionPaths.Where(Directory.Exists)) Directory.Delete(p, recursive: true);
    }
}
