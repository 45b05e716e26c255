using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A PostgreSQL role: created when missing, altered when <see cref="Login"/>, <see cref="CreateDb"/>
/// or <see cref="Password"/> differ. The password (from secrets) is sent only as a SCRAM-SHA-256
/// verifier computed here, never as cleartext, and never appears in messages or diffs.
/// </summary>
public class PostgresRole(string name) : PostgresComponent(name)
{
    /// <summary>The role's password (put it in the environment's secrets); null leaves it alone.</summary>
    public string? Password { get; set; }

    /// <summary>May log in (a user rather than a group).</summary>
    public bool Login { get; set; } = true;

    /// <summary>May create databases.</summary>
    public bool CreateDb { get; set; }

    protected override void Verify()
    {
        using var conn = Open();
        var row = Read(conn) ?? throw new UpdateNeeded($"role {Name} does not exist");
        if (row.Login != Login) throw new UpdateNeeded($"role {Name}: login is {Flag(row.Login)}, wanted {Flag(Login)}");
        if (row.CreateDb != CreateDb) throw new UpdateNeeded($"role {Name}: createdb is {Flag(row.CreateDb)}, wanted {Flag(CreateDb)}");
        if (Password is not null && !ScramVerifier.Matches(row.Verifier, Password, Name))
            throw new UpdateNeeded($"role {Name}: password differs");
    }

    protected override void Update()
    {
        using var conn = Open();
        var row = Read(conn);
        var options = (Login ? " LOGIN" : " NOLOGIN") + (CreateDb ? " CREATEDB" : " NOCREATEDB");
        if (Password is not null && (row is null || !ScramVerifier.Matches(row.Value.Verifier, Password, Name)))
            options += " PASSWORD " + Pg.Literal(ScramVerifier.Create(Password));
        Pg.Execute(conn, $"{(row is null ? "CREATE" : "ALTER")} ROLE {Pg.Ident(Name)} WITH{options}", Label);
    }

    private (bool Login, bool CreateDb, string? Verifier)? Read(Npgsql.NpgsqlConnection conn)
    {
        using var command = new Npgsql.NpgsqlCommand(
            Password is null
                ? "SELECT rolcanlogin, rolcreatedb, NULL::text FROM pg_roles WHERE rolname = @name"
                : "SELECT rolcanlogin, rolcreatedb, rolpassword FROM pg_authid WHERE rolname = @name", conn);
        command.Parameters.AddWithValue("name", Name);
        try
        {
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            return (reader.GetBoolean(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == "42501")
        {
            throw new DeploymentError($"{Label}: checking the password needs a superuser connection ({e.MessageText}).");
        }
    }

    private static string Flag(bool value) => value ? "on" : "off";
}
