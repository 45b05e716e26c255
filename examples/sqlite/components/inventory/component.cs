using Microsoft.Data.Sqlite;

// The seed's example: configure a database through its SQL interface, on the target.
public sealed class Inventory : Component
{
    public string Database { get; set; } = "inventory.db";

    protected override void Verify()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'items'";
        if ((long)command.ExecuteScalar()! == 0) throw new UpdateNeeded("table items is missing");
    }

    protected override void Update()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO items (name) VALUES ('first');";
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        System.IO.Directory.CreateDirectory(Workdir);
        var connection = new SqliteConnection($"Data Source={Map(Database)}");
        connection.Open();
        return connection;
    }
}
