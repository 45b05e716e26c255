using System.Collections.Concurrent;
using System.Net.Sockets;
using Npgsql;

namespace Batou.Lib.Internal;

/// <summary>Connections and quoting for the PostgreSQL components; errors never carry a password.</summary>
internal static class Pg
{
    public const string DefaultConnection = "Host=/var/run/postgresql;Username=postgres;Database=postgres";

    /// <summary>Opens a connection (optionally to another database); an unreachable server is a <see cref="DeploymentError"/> naming host and port.</summary>
    public static NpgsqlConnection Open(string connection, string owner, string? database = null)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException)
        {
            throw new ConfigurationError($"{owner}: Connection is not a valid Npgsql connection string.");
        }
        if (database is not null) builder.Database = database;
        builder.Pooling = false;
        builder.Timeout = Math.Min(builder.Timeout, 15);
        var where = $"{builder.Host ?? "localhost"}:{builder.Port}";
        var conn = Source(builder.ConnectionString).CreateConnection();
        try
        {
            conn.Open();
            return conn;
        }
        catch (PostgresException e) when (e.SqlState == "3D000")
        {
            conn.Dispose();
            throw new DatabaseMissing(database ?? builder.Database ?? "");
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            conn.Dispose();
            var reason = e is PostgresException pg ? pg.MessageText : (e.InnerException ?? e).Message;
            throw new DeploymentError($"{owner}: cannot connect to PostgreSQL at {where} as {builder.Username ?? "(default user)"}: {Scrub(reason, builder.Password)}");
        }
    }

    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> s_sources = new(StringComparer.Ordinal);

    /// <summary>
    /// One data source per connection string for the process, slim: only the basic types, so a
    /// deployment does not load (and JIT) Npgsql's JSON, range, network and full-text support to
    /// read a few catalog rows. Unpooled: it holds no server connection between components.
    /// </summary>
    private static NpgsqlDataSource Source(string connection) =>
        s_sources.GetOrAdd(connection, c =>
        {
            var builder = new NpgsqlSlimDataSourceBuilder(c);
            // the components read catalogs (bool, text, name, int): no round trip to load the server's types
            builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
            return builder.Build();
        });

    /// <summary>A database named by the component does not exist (yet).</summary>
    public sealed class DatabaseMissing(string database) : Exception($"database {database} does not exist")
    {
        public string Database { get; } = database;
    }

    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    public static T? Scalar<T>(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)result;
    }

    public static void Execute(NpgsqlConnection conn, string sql, string owner)
    {
        using var command = new NpgsqlCommand(sql, conn);
        try
        {
            command.ExecuteNonQuery();
        }
        catch (PostgresException e)
        {
            throw new DeploymentError($"{owner}: PostgreSQL refused: {e.MessageText} ({e.SqlState})");
        }
    }

    private static string Scrub(string text, string? password) =>
        string.IsNullOrEmpty(password) ? text : text.Replace(password, "*****", StringComparison.Ordinal);
}
