using System.Text.RegularExpressions;
using Batou.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Tests;

/// <summary>The hand-written migrations must build exactly the schema the EF model describes.</summary>
public sealed class SchemaMatchesModelTests
{
    [Fact]
    public void Migrated_schema_equals_the_model()
    {
        var dir = Directory.CreateTempSubdirectory("batou-schema-");
        try
        {
            var migrated = Schema(Path.Combine(dir.FullName, "migrated.db"), db => db.Database.Migrate());
            var model = Schema(Path.Combine(dir.FullName, "model.db"), db => db.Database.EnsureCreated());
            Assert.Equal(model, migrated);
            Assert.Contains(migrated, s => s.Contains("\"deployment_events\"", StringComparison.Ordinal));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            dir.Delete(true);
        }
    }

    private static List<string> Schema(string path, Action<BatouDb> create)
    {
        using (var db = new BatouDb(new DbContextOptionsBuilder<BatouDb>().UseSqlite("Data Source=" + path).Options))
            create(db);
        using var c = new SqliteConnection("Data Source=" + path);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%' AND tbl_name NOT LIKE '__EF%'";
        var result = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            result.Add(Regex.Replace(r.GetString(0).Replace("IF NOT EXISTS ", "", StringComparison.Ordinal), @"\s+", " ").Trim());
        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
