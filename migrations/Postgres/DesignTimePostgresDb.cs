using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Batou.Web.Data.Postgres;

/// <summary>What <c>dotnet ef</c> uses when this project is the startup project: the model on PostgreSQL (no database is opened).</summary>
public sealed class DesignTimePostgresDb : IDesignTimeDbContextFactory<BatouDb>
{
    public BatouDb CreateDbContext(string[] args) =>
        new(BatouDbOptions.Configure(new DbContextOptionsBuilder<BatouDb>(), DatabaseProvider.Postgres, "Host=127.0.0.1;Database=batou").Options);
}
