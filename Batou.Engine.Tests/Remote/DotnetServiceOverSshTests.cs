using Batou.Engine.Tests.Fixtures;
using Batou.Engine.Tests.Secrets;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// examples/dotnet-service with its own <c>environments/ssh</c>, deployed over ssh to the loopback
/// host1: the controller publishes the app, supervisord and nginx run as host1's account in
/// temporary directories (ports of their own), PostgreSQL is the test cluster.
/// </summary>
[Collection("ssh")]
public sealed class DotnetServiceOverSshTests : SecretsTestBase
{
    private const string HostUser = "batou-host1";
    private static readonly string s_pg = System.Environment.GetEnvironmentVariable("BATOU_TEST_PG")
        ?? throw new InvalidOperationException("BATOU_TEST_PG is not set (see scripts/test-pg.sh)");

    private readonly NginxServer _nginx = new(HostUser);
    private readonly SupervisorServer _supervisor = new(HostUser);
    private readonly string _target = "t-" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly int _port = Examples.FreePort();

    public DotnetServiceOverSshTests()
    {
        Examples.CopyInto(Repo, "dotnet-service");
        SshHosts.Prepare(Repo);
        var home = $"{SshHosts.Home("host1")}/{_target}/work/srv/shop";   // under work/: the transfer never deletes it
        // the example's ssh environment, pointed at the loopback host and at the private services
        var cfg = Repo.Read("environments/ssh/environment.cfg")
            .Replace("target_directory = ~/deployment", $"target_directory = ~/{_target}", StringComparison.Ordinal)
            .Replace("shop.example.org = shop", "host1 = shop", StringComparison.Ordinal);
        Assert.Contains("host1 = shop", cfg);
        Repo.Environment("ssh", cfg + $"""

            [component:shop]
            port = {_port}
            listen = 127.0.0.1:{_nginx.Port}
            server_name = shop.test
            pg_connection = {s_pg}
            home = {home}
            manage_user = false
            supervisor_conf = {_supervisor.ConfD}/shop.conf
            supervisorctl = {_supervisor.Ctl}
            nginx_site = {_nginx.Sites}/shop.conf
            nginx_test = {_nginx.Test}
            nginx_reload = {_nginx.Reload}
            logrotate_conf = {home}/logrotate.conf
            """);
        WriteSecrets($"[component:shop]\ndb_password = {_canary}\n", env: "ssh");
    }

    [Theory, MemberData(nameof(SshHosts.Clients), MemberType = typeof(SshHosts))]
    public void The_example_deploys_over_ssh_to_a_proxied_healthy_service_and_a_second_deploy_changes_nothing(string client)
    {
        Repo.SshClient = client;
        var first = Repo.Deploy("ssh");
        Assert.True(first.Success, first.ToString());
        Assert.Contains("Shop > DotnetRelease('shop')", first.Updated);
        Assert.Contains("RUNNING", _supervisor.Status("shop"));
        Assert.Equal("Shop is running; database connection configured\n", _nginx.Get("shop.test", "Shop is running; database connection configured\n"));
        Assert.DoesNotContain(_canary, string.Join("\n", first.Events.Select(Engine.Api.EventJson.Serialize)));
        // published on the controller, the host only received the build
        Assert.True(Directory.Exists(Repo.Work(".batou-build/shop")));
        Assert.False(Directory.Exists(Path.Combine(SshHosts.Home("host1"), _target, "work/.batou/dotnet-build")));

        var second = Repo.Deploy("ssh");
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.DoesNotContain(second.Of<Engine.Api.StepStarted>(), s => s.Step == "build");
    }

    protected override void Dispose(bool disposing)
    {
        _supervisor.Dispose();
        _nginx.Dispose();
        try
        {
            using var conn = new Npgsql.NpgsqlConnection(s_pg);
            conn.Open();
            foreach (var sql in new[] { "DROP DATABASE IF EXISTS shop WITH (FORCE)", "DROP ROLE IF EXISTS shop" })
                using (var command = new Npgsql.NpgsqlCommand(sql, conn)) command.ExecuteNonQuery();
        }
        catch (Npgsql.NpgsqlException) { }
        base.Dispose(disposing);
    }
}
