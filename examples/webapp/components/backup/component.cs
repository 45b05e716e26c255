// A nightly backup of the app's data: a script and the cron entry that runs it.
public sealed class Backup : Component
{
    public string Timing { get; set; } = "15 3 * * *";
    public int KeepDays { get; set; } = 7;

    protected override void Configure()
    {
        var script = Add(new File("backup.sh") { Mode = "0755" });
        Add(new CronJob(script.Path) { Timing = Timing, Logger = "webapp-backup" });
    }
}
