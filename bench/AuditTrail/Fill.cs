using Batou.Web.Data;
using Batou.Web.Governance.Identity;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace AuditTrailBench;

/// <summary>
/// A year of a busy installation: 200 users, 50 environments, the known actions (deploy requests and sign-ins most
/// often), one entry every ~31 s, ids in time order as the trail writes them.
/// </summary>
internal static class Fill
{
    public static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static (DateTime At, string Action, string User, string Address, string? Repository, string? Environment, string Target) Entry(Random rng, int i, int total)
    {
        var at = Start.AddSeconds(i * (365.0 * 86400 / total));
        var roll = rng.Next(100);
        var action = roll < 40 ? AuditActions.DeploymentRequested : roll < 55 ? AuditActions.PreviewRequested : roll < 75 ? AuditActions.SignInSucceeded
            : roll < 82 ? AuditActions.SignInFailed : roll < 90 ? AuditActions.CancelRequested : AuditActions.Known[rng.Next(AuditActions.Known.Count)];
        var env = action.StartsWith("sign-", StringComparison.Ordinal) ? null : $"env-{rng.Next(50):00}";
        return (at, action, $"user-{rng.Next(200):000}", $"10.0.{rng.Next(256)}.{rng.Next(256)}", env is null ? null : $"repo-{rng.Next(5)}", env, $"deployment #{i}");
    }

    public static Task RunAsync(DatabaseProvider provider, string connection, int total) =>
        provider == DatabaseProvider.Postgres ? PostgresAsync(connection, total) : SqliteAsync(connection, total);

    private static async Task SqliteAsync(string connection, int total)
    {
        await using var c = new SqliteConnection(connection);
        await c.OpenAsync();
        await using (var pragma = c.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            await pragma.ExecuteNonQueryAsync();
        }
        var rng = new Random(9);
        for (var start = 0; start < total; start += 50_000)
        {
            await using var tx = c.BeginTransaction();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO audit_entries (AtUtc, Action, User, Address, Repository, Environment, Target) VALUES ($at, $action, $user, $address, $repo, $env, $target)";
            var ps = new[] { "$at", "$action", "$user", "$address", "$repo", "$env", "$target" }.Select(n => cmd.Parameters.Add(n, SqliteType.Text)).ToArray();
            for (var i = start; i < Math.Min(total, start + 50_000); i++)
            {
                var e = Entry(rng, i, total);
                // the format EF Core's SQLite provider writes DateTime in, so its comparisons work on the text
                ps[0].Value = e.At.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
                ps[1].Value = e.Action; ps[2].Value = e.User; ps[3].Value = e.Address;
                ps[4].Value = (object?)e.Repository ?? DBNull.Value; ps[5].Value = (object?)e.Environment ?? DBNull.Value; ps[6].Value = e.Target;
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
    }

    private static async Task PostgresAsync(string connection, int total)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        var rng = new Random(9);
        await using var copy = await c.BeginBinaryImportAsync(
            "COPY audit_entries (\"AtUtc\", \"Action\", \"User\", \"Address\", \"Repository\", \"Environment\", \"Target\") FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < total; i++)
        {
            var e = Entry(rng, i, total);
            await copy.StartRowAsync();
            await copy.WriteAsync(e.At, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(e.Action, NpgsqlDbType.Varchar);
            await copy.WriteAsync(e.User, NpgsqlDbType.Varchar);
            await copy.WriteAsync(e.Address, NpgsqlDbType.Varchar);
            if (e.Repository is null) await copy.WriteNullAsync(); else await copy.WriteAsync(e.Repository, NpgsqlDbType.Varchar);
            if (e.Environment is null) await copy.WriteNullAsync(); else await copy.WriteAsync(e.Environment, NpgsqlDbType.Varchar);
            await copy.WriteAsync(e.Target, NpgsqlDbType.Text);
        }
        await copy.CompleteAsync();
    }
}
