using Batou.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Tests;

/// <summary>
/// A database file written by the dashboard before Hangfire and generated migrations (Fixtures/batou-web-before-hangfire.db:
/// schema by the two hand-written migrations, an admin, one finished preview with 36 events) upgrades in place.
/// </summary>
public sealed class UpgradeTests
{
    [Fact]
    public async Task A_database_of_the_previous_version_upgrades_in_place_and_keeps_its_rows()
    {
        var dir = Directory.CreateTempSubdirectory("batou-upgrade-");
        try
        {
            var path = Path.Combine(dir.FullName, "batou-web.db");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "batou-web-before-hangfire.db"), path);
            var options = new DbContextOptionsBuilder<BatouDb>().UseSqlite($"Data Source={path};Pooling=False").Options;
            await using (var db = new BatouDb(options))
            {
                Assert.Equal(["20261201000000_Initial", "20261202000000_EventTypeIndex"], await db.Database.GetAppliedMigrationsAsync());
                Assert.Equal("20261203000000_DeploymentLease", (await db.Database.GetPendingMigrationsAsync()).First());
                await db.Database.MigrateAsync();
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Equal(["admin"], await db.Users.Select(u => u.UserName!).ToListAsync());
                var d = await db.Deployments.SingleAsync();
                Assert.Equal(("succeeded", 36, (string?)null), (d.Status, d.EventCount, d.LeaseOwner));
                Assert.Equal(36, await db.DeploymentEvents.CountAsync(e => e.DeploymentId == d.Id));
                Assert.Equal(4, await db.DeploymentRoots.CountAsync());
            }
            var model = SchemaMatchesModelTests.Schema(Path.Combine(dir.FullName, "model.db"), db => db.Database.EnsureCreated());
            Assert.Equal(model, SchemaMatchesModelTests.Schema(path));
            using var c = new SqliteConnection($"Data Source={path};Pooling=False");
            c.Open();
            using var check = c.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            dir.Delete(true);
        }
    }
}
