using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Batou.Web.Data;

/// <summary>
/// What <c>dotnet ef</c> uses to build the model when this project is the startup project: the SQLite migrations.
/// (Batou.Migrations.Postgres has its own factory.) No database is opened for adding migrations or checking the model.
/// </summary>
public sealed class DesignTimeBatouDb : IDesignTimeDbContextFactory<BatouDb>
{
    public BatouDb CreateDbContext(string[] args) =>
        new(BatouDbOptions.Configure(new DbContextOptionsBuilder<BatouDb>(), DatabaseProvider.Sqlite, "Data Source=design-time.db").Options);
}
