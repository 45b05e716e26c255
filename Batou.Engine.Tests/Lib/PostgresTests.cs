using Batou.Engine.Tests.Fixtures;
using Batou.Engine.Tests.Secrets;
using Npgsql;

namespace Batou.Engine.Tests.Lib;

/// <summary>
/// Against the real test cluster (BATOU_TEST_PG, trust authentication) with throwaway role and
/// database names; the role's password comes from the environment's (age-encrypted) secrets.
/// </summary>
public sealed class PostgresTests : SecretsTestBase
{
    private static readonly string s_connection = System.Environment.GetEnvironmentVariable("BATOU_TEST_PG")
        ?? throw new InvalidOperationException("BATOU_TEST_PG is not set (see scripts/test-pg.sh)");

    private readonly string _role = "batou_t_" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _other = "batou_o_" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _db = "batou_d_" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");

    private DeploymentResult Deploy(string body, Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy, string password = "")
    {
        Repo.Component("db", $$"""
            public class Db : Component
            {
                public string Password { get; set; } = "";
                public string Connection { get; set; } = "{{s_connection}}";
                protected override void Configure()
                {
                    {{body}}
                }
            }
            """).LocalEnvironment("db");
        WriteSecrets($"[component:db]\npassword = {(password.Length > 0 ? password : _canary)}\n");
        return Repo.Deploy(mode: mode);
    }

    private string RoleBody(bool createDb = false) =>
        $$"""Add(new PostgresRole("{{_role}}") { Connection = Connection, Password = Password, CreateDb = {{(createDb ? "true" : "false")}} });""";

    private string DbBody(string owner) => $$"""
        Add(new PostgresRole("{{_role}}") { Connection = Connection, Password = Password });
        Add(new PostgresRole("{{_other}}") { Connection = Connection, Login = false });
        Add(new PostgresDatabase("{{_db}}") { Connection = Connection, Owner = "{{owner}}" });
        Add(new PostgresExtension("citext") { Connection = Connection, Database = "{{_db}}" });
        """;

    private T? Query<T>(string sql, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(s_connection) { Pooling = false };
        if (database is not null) builder.Database = database;
        using var conn = new NpgsqlConnection(builder.ConnectionString);
        conn.Open();
        using var command = new NpgsqlCommand(sql, conn);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)result;
    }

    private static string Everything(DeploymentResult result) => string.Join("\n", result.Events.Select(Engine.Api.EventJson.Serialize));

    [Fact]
    public void A_role_is_created_with_a_scram_password_from_secrets_which_is_never_printed_and_a_second_deploy_changes_nothing()
    {
        var first = Deploy(RoleBody());
        Assert.True(first.Success, first.ToString());
        Assert.Contains($"Db > PostgresRole('{_role}')", first.Updated);
        var stored = Query<string>($"SELECT rolpassword FROM pg_authid WHERE rolname = '{_role}'")!;
        Assert.StartsWith("SCRAM-SHA-256$4096:", stored);
        Assert.DoesNotContain(_canary, stored);
        Assert.DoesNotContain(_canary, Everything(first));
        Assert.DoesNotContain(_canary, Query<string>("SELECT string_agg(coalesce(query, ''), ' ') FROM pg_stat_activity") ?? "");

        var second = Deploy(RoleBody());
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(stored, Query<string>($"SELECT rolpassword FROM pg_authid WHERE rolname = '{_role}'"));
    }

    [Fact]
    public void A_password_set_by_postgresql_itself_is_recognised_and_a_different_one_is_replaced()
    {
        Assert.True(Deploy(RoleBody()).Success);
        Query<int?>($"SET password_encryption = 'scram-sha-256'; ALTER ROLE {_role} PASSWORD 'set-by-the-server'");
        Assert.Empty(Deploy(RoleBody(), password: "set-by-the-server").Updated);

        var changed = Deploy(RoleBody());
        Assert.True(changed.Success, changed.ToString());
        Assert.Contains(changed.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == $"role {_role}: password differs");
        Assert.Empty(Deploy(RoleBody()).Updated);
    }

    [Fact]
    public void Role_attributes_are_altered_when_they_differ()
    {
        Assert.True(Deploy(RoleBody()).Success);
        var altered = Deploy(RoleBody(createDb: true));
        Assert.True(altered.Success, altered.ToString());
        Assert.Contains(altered.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == $"role {_role}: createdb is off, wanted on");
        Assert.True(Query<bool>($"SELECT rolcreatedb FROM pg_roles WHERE rolname = '{_role}'"));
    }

    [Fact]
    public void A_database_with_owner_and_extension_is_created_its_owner_altered_and_a_second_deploy_changes_nothing()
    {
        var predicted = Deploy(DbBody(_role), Engine.Api.DeploymentMode.Predict);
        Assert.True(predicted.Success, predicted.ToString());
        Assert.Contains(predicted.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == $"database {_db} does not exist yet");
        Assert.Null(Query<int?>($"SELECT 1 FROM pg_database WHERE datname = '{_db}'"));

        var first = Deploy(DbBody(_role));
        Assert.True(first.Success, first.ToString());
        Assert.Equal(_role, Query<string>($"SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = '{_db}'"));
        Assert.Equal("citext", Query<string>("SELECT extname::text FROM pg_extension WHERE extname = 'citext'", _db));

        Assert.Empty(Deploy(DbBody(_role)).Updated);

        var moved = Deploy(DbBody(_other));
        Assert.True(moved.Success, moved.ToString());
        Assert.Equal([$"Db > PostgresDatabase('{_db}')"], moved.Updated);
        Assert.Equal(_other, Query<string>($"SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = '{_db}'"));
    }

    [Fact]
    public void An_unreachable_server_names_host_and_port_and_never_the_password()
    {
        var result = Deploy($$"""Add(new PostgresRole("{{_role}}") { Connection = "Host=127.0.0.1;Port=1;Username=postgres;Password=" + Password, Password = Password });""");
        Assert.False(result.Success);
        var error = result.Errors.Single(e => e.Kind == "ComponentFailed");
        Assert.Contains("cannot connect to PostgreSQL at 127.0.0.1:1", error.Message + error.Body);
        Assert.DoesNotContain(_canary, Everything(result));
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            Query<int?>($"DROP DATABASE IF EXISTS {_db}");
            Query<int?>($"DROP ROLE IF EXISTS {_role}");
            Query<int?>($"DROP ROLE IF EXISTS {_other}");
        }
        catch (NpgsqlException) { }
        base.Dispose(disposing);
    }
}
