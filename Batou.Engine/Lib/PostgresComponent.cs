using Batou.Lib.Internal;
using Npgsql;

namespace Batou.Lib;

/// <summary>
/// The base of the PostgreSQL components: they talk to the server through Npgsql from wherever
/// the component deploys (on the target for ssh deployments), as a role that may create roles
/// and databases (a superuser to check passwords).
/// </summary>
public abstract class PostgresComponent(string name) : Component
{
    /// <summary>The object's name (role, database or extension).</summary>
    [NotASetting] public string Name { get; } = name;

    /// <summary>An Npgsql connection string for the administrating role; default: the local socket as <c>postgres</c>.</summary>
    public string Connection { get; set; } = Pg.DefaultConnection;

    protected override string? BreadcrumbValue => Name;

    /// <summary>How messages name this component.</summary>
    protected string Label => $"{GetType().Name}(\"{Name}\")";

    protected override void Configure()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Contains('\0'))
            throw new ConfigurationError($"{GetType().Name}: the name must not be empty.");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(Connection);
        }
        catch (ArgumentException)
        {
            throw new ConfigurationError($"{Label}: Connection is not a valid Npgsql connection string.");
        }
    }

    protected NpgsqlConnection Open(string? database = null) => Pg.Open(Connection, Label, database);
}
