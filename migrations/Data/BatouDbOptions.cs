using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>One place that knows which migrations assembly goes with which provider.</summary>
public static class BatouDbOptions
{
    public const string SqliteMigrations = "Batou.Migrations";
    public const string PostgresMigrations = "Batou.Migrations.Postgres";

    public static DbContextOptionsBuilder<BatouDb> Configure(DbContextOptionsBuilder<BatouDb> o, DatabaseProvider provider, string connectionString) =>
        provider == DatabaseProvider.Postgres
            ? o.UseNpgsql(connectionString, x => x.MigrationsAssembly(PostgresMigrations))
            : o.UseSqlite(connectionString, x => x.MigrationsAssembly(SqliteMigrations));

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder o, DatabaseProvider provider, string connectionString) =>
        provider == DatabaseProvider.Postgres
            ? o.UseNpgsql(connectionString, x => x.MigrationsAssembly(PostgresMigrations))
            : o.UseSqlite(connectionString, x => x.MigrationsAssembly(SqliteMigrations));
}
