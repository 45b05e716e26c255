using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A PostgreSQL extension in <see cref="Database"/> (<c>CREATE EXTENSION</c>, optionally in
/// <see cref="Schema"/>). An extension the server does not offer fails naming the package to
/// install; a database that does not exist yet is an update while predicting.
/// </summary>
public class PostgresExtension(string name) : PostgresComponent(name)
{
    /// <summary>Required: the database to create the extension in.</summary>
    public string? Database { get; set; }

    /// <summary>The schema to create it in; default: the database's default.</summary>
    public string? Schema { get; set; }

    protected override void Configure()
    {
        base.Configure();
        if (string.IsNullOrWhiteSpace(Database))
            throw new ConfigurationError($"{Label}: Database is required.");
    }

    protected override void Verify()
    {
        Npgsql.NpgsqlConnection conn;
        try
        {
            conn = Open(Database);
        }
        catch (Pg.DatabaseMissing) when (Predicting)
        {
            throw new UpdateNeeded($"database {Database} does not exist yet");
        }
        catch (Pg.DatabaseMissing missing)
        {
            throw new DeploymentError($"{Label}: {missing.Message}; add a PostgresDatabase before the extension.");
        }
        using (conn)
        {
            if (Pg.Scalar<int?>(conn, "SELECT 1 FROM pg_extension WHERE extname = @name", ("name", Name)) is not null) return;
            if (Pg.Scalar<int?>(conn, "SELECT 1 FROM pg_available_extensions WHERE name = @name", ("name", Name)) is null)
                throw new DeploymentError($"{Label}: the server does not offer the extension {Name} (install its package, e.g. postgresql-contrib).");
            throw new UpdateNeeded($"extension {Name} is not installed in {Database}");
        }
    }

    protected override void Update()
    {
        using var conn = Open(Database);
        var schema = Schema is null ? "" : " SCHEMA " + Pg.Ident(Schema);
        Pg.Execute(conn, $"CREATE EXTENSION IF NOT EXISTS {Pg.Ident(Name)}{schema}", Label);
    }
}
