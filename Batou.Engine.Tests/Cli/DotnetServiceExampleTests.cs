using Batou.Engine.Tests.Fixtures;
using Batou.Engine.Tests.Secrets;

namespace Batou.Engine.Tests.Cli;

/// <summary>
/// examples/dotnet-service deployed locally for real: the ASP.NET Core app is published by the
/// deployment, PostgreSQL is the test cluster, supervisord and nginx run privately in temporary
/// directories, the database password comes from the environment's secrets.
/// </summary>
// in the ssh tests' collection: DotnetServiceOverSshTests deploys the same example, and both own the role and
// database `shop` in the one test cluster (run side by side, each saw the other's password as a change)
[Collection("ssh")]
public sealed class DotnetServiceExampleTests : SecretsTestBase
{
    private static readonly string s_pg = System.Environment.GetEnvironmentVariable("BATOU_TEST_PG")
        ?? throw new InvalidOperationException("BATOU_TEST_PG is not set (see scripts/test-pg.sh)");

    private readonly NginxServer _nginx = new();
    private readonly SupervisorServer _supervisor = new();
    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");
    private readonly int _port = Examples.FreePort();

    public DotnetServiceExampleTests()
    {
        Examples.CopyInto(Repo, "dotnet-service");
        Repo.Environment("local", $"""
            [environment]
            connect_method = local
            timeout = 10m

            [hosts]
            localhost = shop

            [component:shop]
            port = {_port}
            listen = 127.0.0.1:{_nginx.Port}
            server_name = shop.test
            pg_connection = {s_pg}
            home = {Repo.Work("srv/shop")}
            manage_user = false
            supervisor_conf = {_supervisor.ConfD}/shop.conf
            supervisorctl = {_supervisor.Ctl}
            nginx_site = {_nginx.Sites}/shop.conf
            nginx_test = {_nginx.Test}
            nginx_reload = {_nginx.Reload}
            logrotate_conf = {Repo.Work("srv/shop/logrotate.conf")}
            """);
        WriteSecrets($"[component:shop]\ndb_password = {_canary}\n", env: "local");
    }

    [Fact]
    public void The_example_deploys_from_nothing_to_a_proxied_healthy_service_and_a_second_deploy_changes_nothing()
    {
        var first = Repo.Deploy("local");
        Assert.True(first.Success, first.ToString());
        Assert.Contains("Shop > DotnetRelease('shop')", first.Updated);
        Assert.Contains("RUNNING", _supervisor.Status("shop"));
        Assert.Equal("Shop is running; database connection configured\n", _nginx.Get("shop.test", "Shop is running; database connection configured\n"));
        Assert.Contains($"{_supervisor.Ctl} restart shop", File.ReadAllText(Repo.Work("srv/shop/logrotate.conf")));
        Assert.DoesNotContain(_canary, string.Join("\n", first.Events.Select(Engine.Api.EventJson.Serialize)));

        var second = Repo.Deploy("local");
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);

        var predicted = Repo.Deploy("local", Engine.Api.DeploymentMode.Predict);
        Assert.True(predicted.Success, predicted.ToString());
        Assert.Empty(predicted.Updated);
    }

    /// <summary>
    /// The no-op is fast because it asks little (one query per PostgreSQL object, supervisord's
    /// socket, a digest of the source); each kind of drift must still be seen and repaired.
    /// </summary>
    [Fact]
    public void After_a_no_op_a_changed_role_password_database_owner_stopped_program_and_changed_source_are_each_repaired()
    {
        Assert.True(Repo.Deploy("local").Success);
        var noop = Repo.Deploy("local");
        Assert.True(noop.Success, noop.ToString());
        Assert.Empty(noop.Updated);
        var firstRelease = new FileInfo(Repo.Work("srv/shop/current")).LinkTarget;

        Admin("ALTER ROLE shop PASSWORD 'changed-behind-batous-back'", "ALTER DATABASE shop OWNER TO postgres");
        Assert.Contains("STOPPED", Stop("shop"));
        var repaired = Repo.Deploy("local");
        Assert.True(repaired.Success, repaired.ToString());
        Assert.Equal(["Shop > PostgresDatabase('shop')", "Shop > PostgresRole('shop')", "Shop > SupervisorProgram('shop')"],
            repaired.Updated.Order(StringComparer.Ordinal).ToList());
        Assert.True(Batou.Lib.Internal.ScramVerifier.Matches(AdminScalar("SELECT rolpassword FROM pg_authid WHERE rolname = 'shop'"), _canary, "shop"));
        Assert.Equal("shop", AdminScalar("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop'"));
        Assert.Contains("RUNNING", _supervisor.Status("shop"));
        Assert.Equal(firstRelease, new FileInfo(Repo.Work("srv/shop/current")).LinkTarget);

        Repo.Write("src/Shop/Program.cs", Repo.Read("src/Shop/Program.cs").Replace("Shop is running", "Shop is running again"));
        var rebuilt = Repo.Deploy("local");
        Assert.True(rebuilt.Success, rebuilt.ToString());
        Assert.Contains(rebuilt.Of<Engine.Api.StepStarted>(), s => s.Step == "build");
        Assert.Contains("Shop > DotnetRelease('shop')", rebuilt.Updated);
        Assert.Contains("Shop > SupervisorProgram('shop')", rebuilt.Updated);
        Assert.NotEqual(firstRelease, new FileInfo(Repo.Work("srv/shop/current")).LinkTarget);
        Assert.StartsWith("Shop is running again", _nginx.Get("shop.test", "Shop is running again; database connection configured\n"));

        var quiet = Repo.Deploy("local");
        Assert.True(quiet.Success, quiet.ToString());
        Assert.Empty(quiet.Updated);
    }

    private string Stop(string program)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", $"{_supervisor.Ctl} stop {program}"]) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return _supervisor.Status(program);
    }

    private static void Admin(params string[] statements)
    {
        using var conn = new Npgsql.NpgsqlConnection(s_pg);
        conn.Open();
        foreach (var sql in statements)
            using (var command = new Npgsql.NpgsqlCommand(sql, conn)) command.ExecuteNonQuery();
    }

    private static string? AdminScalar(string sql)
    {
        using var conn = new Npgsql.NpgsqlConnection(s_pg);
        conn.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, conn);
        return command.ExecuteScalar() as string;
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
