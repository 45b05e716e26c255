using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>Deployments over real ssh to the loopback sshd: one user per simulated host.</summary>
[Collection("ssh")]
public sealed class RemoteDeploymentTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _target = "t-" + Guid.NewGuid().ToString("N")[..10];

    public RemoteDeploymentTests() => SshHosts.Prepare(_repo);

    private string OnHost(string host, string relative) => Path.Combine(SshHosts.Home(host), _target, relative);

    private TestRepository Environment(string hosts, string extra = "") =>
        _repo.Environment("remote", $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{_target}\n{extra}\n[hosts]\n{hosts}\n");

    private const string Database = """
        public sealed class Database : Component
        {
            public int Port { get; set; } = 5432;
            protected override void Configure()
            {
                Add(new File("db.conf") { Content = $"port {Port}\nhost {Host.Name}\n" });
                Provide("db:address", $"{Host.Name}:{Port}");
            }
        }
        """;

    private const string Single = """
        public sealed class Single : Component
        {
            public int Port { get; set; } = 5432;
            protected override void Configure() => Add(new File("db.conf") { Content = $"port {Port}\nhost {Host.Name}\n" });
        }
        """;

    private const string App = """
        public sealed class App : Component
        {
            protected override void Configure()
            {
                var dbs = Require<string>("db:address");
                Add(new File("app.conf") { Content = "databases " + string.Join(",", dbs) + "\nuser " + System.Environment.UserName + "\n" });
            }
        }
        """;

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Three_hosts_with_a_cross_host_resource_deploy_in_order_on_each_host(string client)
    {
        _repo.SshClient = client;
        _repo.Component("database", Database).Component("app", App);
        Environment("host1 = database\nhost2 = app\nhost3 = app");
        var result = _repo.Deploy("remote", jobs: 3);
        Assert.True(result.Success, result.ToString());

        Assert.Equal("port 5432\nhost host1\n", File.ReadAllText(OnHost("host1", "work/database/db.conf")));
        Assert.Equal("databases host1:5432\nuser batou-host2\n", File.ReadAllText(OnHost("host2", "work/app/app.conf")));
        Assert.Equal("databases host1:5432\nuser batou-host3\n", File.ReadAllText(OnHost("host3", "work/app/app.conf")));
        Assert.False(System.IO.File.Exists(OnHost("host1", "work/app/app.conf")));

        var finished = result.Of<RootFinished>().Select(r => $"{r.Host}:{r.Component}").ToList();
        var scheduled = result.Events.Select((e, i) => (e, i)).Where(x => x.e is RootScheduled).ToDictionary(x => $"{((RootScheduled)x.e).Host}:{((RootScheduled)x.e).Component}", x => x.i);
        var dbDone = result.Events.Select((e, i) => (e, i)).First(x => x.e is RootFinished { Host: "host1" }).i;
        Assert.True(scheduled["host2:app"] > dbDone && scheduled["host3:app"] > dbDone, "apps must start after the database finished");
        Assert.Equal(3, finished.Count);
        Assert.Contains(result.Of<ComponentNeedsUpdate>(), c => c.Host == "host3");

        var again = _repo.Deploy("remote");
        Assert.True(again.Success, again.ToString());
        Assert.Empty(again.Updated);
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_host_without_the_agent_gets_it_uploaded_once(string client)
    {
        _repo.SshClient = client;
        var agents = Path.Combine(SshHosts.Home("host3"), ".batou");
        if (Directory.Exists(agents)) Directory.Delete(agents, recursive: true);
        _repo.Component("single", Single);
        Environment("host3 = single");
        AssertSuccess(_repo.Deploy("remote"));
        var installed = Directory.GetFiles(Path.Combine(agents, "agent"), "batou", SearchOption.AllDirectories).Single();
        var uploaded = File.GetLastWriteTimeUtc(installed);
        AssertSuccess(_repo.Deploy("remote"));
        Assert.Equal(uploaded, File.GetLastWriteTimeUtc(installed));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Predict_over_ssh_shows_the_diff_and_changes_nothing_on_the_host(string client)
    {
        _repo.SshClient = client;
        _repo.Component("single", Single);
        Environment("host1 = single");
        AssertSuccess(_repo.Deploy("remote"));
        var before = File.ReadAllText(OnHost("host1", "work/single/db.conf"));

        _repo.Write("environments/remote/environment.cfg", _repo.Read("environments/remote/environment.cfg") + "\n[component:single]\nport = 6000\n");
        var predicted = _repo.Deploy("remote", DeploymentMode.Predict);
        Assert.True(predicted.Success, predicted.ToString());
        var diff = predicted.Of<FileDiff>().Single();
        Assert.Equal("host1", diff.Host);
        Assert.Contains("-port 5432", diff.Lines);
        Assert.Contains("+port 6000", diff.Lines);
        Assert.Equal(before, File.ReadAllText(OnHost("host1", "work/single/db.conf")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void Rsync_deletes_on_the_host_what_was_deleted_locally(string client)
    {
        _repo.SshClient = client;
        _repo.Component("single", Single).Write("components/single/obsolete.txt", "old");
        Environment("host1 = single");
        AssertSuccess(_repo.Deploy("remote"));
        Assert.True(System.IO.File.Exists(OnHost("host1", "components/single/obsolete.txt")));

        System.IO.File.Delete(_repo.PathOf("components/single/obsolete.txt"));
        AssertSuccess(_repo.Deploy("remote"));
        Assert.False(System.IO.File.Exists(OnHost("host1", "components/single/obsolete.txt")));
        Assert.True(System.IO.File.Exists(OnHost("host1", "components/single/component.cs")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_failure_on_one_host_while_another_is_mid_deployment_stops_new_work_and_lets_running_work_finish(string client)
    {
        _repo.SshClient = client;
        _repo.Component("database", """
            public sealed class Database : Component
            {
                protected override void Configure() => Provide("db:address", Host.Name + ":5432");
                protected override void Verify() => throw new UpdateNeeded("migrate");
                protected override void Update() => Cmd("sleep 3; touch migrated");
            }
            """)
            .Component("broken", "public sealed class Broken : Component { protected override void Verify() => throw new UpdateNeeded(\"go\"); protected override void Update() => Cmd(\"sleep 1; echo oops >&2; exit 7\"); }")
            .Component("app", App);
        Environment("host1 = database\nhost2 = broken\nhost3 = app");
        var result = _repo.Deploy("remote", jobs: 3);
        Assert.False(result.Success);
        Assert.Equal(Phase.Deploy, result.Finished.FailedDuring);
        var error = result.Errors.Single(e => e.Kind == "ComponentFailed");
        Assert.Equal("host2", error.Host);
        Assert.Contains("exit 7", error.Message);
        Assert.Contains("oops", error.Body);
        // host1 was mid-deployment when host2 failed: it finished; host3 waited for it and never started
        Assert.Contains(result.Of<RootFinished>(), r => r.Host == "host1");
        Assert.True(System.IO.File.Exists(OnHost("host1", "work/database/migrated")));
        Assert.Contains(result.Of<RootSkipped>(), r => r.Host == "host3" && r.Reason.StartsWith("Not started", StringComparison.Ordinal));
        Assert.False(System.IO.File.Exists(OnHost("host3", "work/app/app.conf")));
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void A_remote_command_longer_than_the_timeout_fails_naming_host_and_command(string client)
    {
        _repo.SshClient = client;
        _repo.Component("slow", "public sealed class Slow : Component { protected override void Verify() => throw new UpdateNeeded(\"go\"); protected override void Update() => Cmd(\"sleep 60\"); }");
        Environment("host1 = slow", "timeout = 2");
        var result = _repo.Deploy("remote");
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Equal("host1", error.Host);
        Assert.Contains("sleep 60", error.Message);
        Assert.Contains("timed out after 2s", error.Body);
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void An_unreachable_host_and_a_wrong_host_key_are_clear_errors(string client)
    {
        _repo.SshClient = client;
        _repo.Component("single", Single);
        var config = _repo.Read("ssh_config");
        var port = config.Split('\n').First(l => l.Trim().StartsWith("Port ", StringComparison.Ordinal)).Trim()[5..];
        var badKnownHosts = _repo.PathOf("bad_known_hosts");
        System.IO.File.WriteAllText(badKnownHosts, $"[127.0.0.1]:{port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        _repo.Write("ssh_config", config
            + "Host nowhere\n    HostName 127.0.0.1\n    Port 1\n    User nobody\n\n"
            + $"Host impostor\n    HostName 127.0.0.1\n    Port {port}\n    User batou-host1\n    IdentityFile {SshHosts.StateDir}/client_ed25519\n    UserKnownHostsFile {badKnownHosts}\n    StrictHostKeyChecking yes\n");
        Environment("nowhere = single\nimpostor = single");
        var result = _repo.Deploy("remote");
        Assert.False(result.Success);
        Assert.Equal(Phase.Connect, result.Finished.FailedDuring);
        var nowhere = Assert.Single(result.Errors, e => e.Host == "nowhere");
        Assert.Equal("Could not connect to host", nowhere.Message);
        Assert.Contains(nowhere.Details, d => d.Label == "ssh said" && d.Value.Contains("Connection refused", StringComparison.Ordinal));
        var impostor = result.Errors.Single(e => e.Host == "impostor");
        Assert.Contains(impostor.Details, d => d.Value.Contains("HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal) || d.Value.Contains("Host key verification failed", StringComparison.Ordinal));
    }

    private static void AssertSuccess(DeploymentResult result) =>
        Assert.True(result.Success, string.Join("\n", result.Errors.Select(e => e.ToString())));

    public void Dispose()
    {
        _repo.Dispose();
        foreach (var host in new[] { "host1", "host2", "host3" })
        {
            var dir = Path.Combine(SshHosts.Home(host), _target);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
