using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A PostgreSQL database: created when missing (with <see cref="Owner"/>, <see cref="Encoding"/>,
/// from <see cref="TemplateDatabase"/>), its owner changed when it differs. A different encoding cannot be
/// changed and fails the deployment.
/// </summary>
public class PostgresDatabase(string name) : PostgresComponent(name)
{
    /// <summary>The owning role; null: the connecting role when creating, and never changed.</summary>
    public string? Owner { get; set; }

    /// <summary>The database's encoding.</summary>
    public string Encoding { get; set; } = "UTF8";

    /// <summary>The template to copy (template0 allows any encoding).</summary>
    public string TemplateDatabase { get; set; } = "template0";

    protected override void Verify()
    {
        using var conn = Open();
        var (owner, encoding) = Read(conn) ?? throw new UpdateNeeded($"database {Name} does not exist");
        if (!string.Equals(encoding, Encoding, StringComparison.OrdinalIgnoreCase) && !string.Equals(encoding.Replace("-", ""), Encoding.Replace("-", ""), StringComparison.OrdinalIgnoreCase))
            throw new DeploymentError($"{Label}: database {Name} has encoding {encoding}, wanted {Encoding}; PostgreSQL cannot change it (dump, drop and recreate).");
        if (Owner is not null && owner != Owner) throw new UpdateNeeded($"database {Name}: owner is {owner}, wanted {Owner}");
    }

    protected override void Update()
    {
        using var conn = Open();
        if (Read(conn) is null)
        {
            var owner = Owner is null ? "" : " OWNER " + Pg.Ident(Owner);
            Pg.Execute(conn, $"CREATE DATABASE {Pg.Ident(Name)}{owner} ENCODING {Pg.Literal(Encoding)} TEMPLATE {Pg.Ident(TemplateDatabase)}", Label);
        }
        else
        {
            Pg.Execute(conn, $"ALTER DATABASE {Pg.Ident(Name)} OWNER TO {Pg.Ident(Owner!)}", Label);
        }
    }

    private (string Owner, string Encoding)? Read(Npgsql.NpgsqlConnection conn)
    {
        using var command = new Npgsql.NpgsqlCommand(
            "SELECT pg_get_userbyid(datdba), pg_encoding_to_char(encoding) FROM pg_database WHERE datname = @name", conn);
        command.Parameters.AddWithValue("name", Name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }
}
