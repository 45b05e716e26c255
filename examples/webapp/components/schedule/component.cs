// Collects every CronJob on this host into one crontab file (work/schedule/crontab).
// Set `install = true` in [component:schedule] to install it with `crontab` as well.
public sealed class Schedule : Component
{
    public bool Install { get; set; }

    protected override void Configure() => Add(new CronTab { Install = Install, MailTo = "ops@example.com" });
}
