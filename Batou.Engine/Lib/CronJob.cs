namespace Batou.Lib;

/// <summary>
/// One line of the host's crontab: <c>&lt;Timing&gt; &lt;command&gt; &lt;Args&gt;</c>, with
/// <see cref="Logger"/> piping its output to syslog (<c>2&gt;&amp;1 | logger -t &lt;Logger&gt;</c>).
/// Provides itself under <see cref="ResourceKey"/>; a <see cref="CronTab"/> on the same host
/// collects the jobs and writes the file. A job without a CronTab on its host is a configuration
/// error ("Unused provided resources").
/// </summary>
public class CronJob(string command) : Component
{
    /// <summary>The resource key every job is provided under.</summary>
    public const string ResourceKey = "batou:cronjob";

    [NotASetting] public string Command { get; } = command;

    /// <summary>Required: the five cron time fields (<c>"0 3 * * *"</c>) or a shortcut (<c>"@daily"</c>).</summary>
    public string? Timing { get; set; }

    /// <summary>Appended to the command.</summary>
    public string Args { get; set; } = "";

    /// <summary>A syslog tag: output goes to <c>logger -t &lt;Logger&gt;</c>.</summary>
    public string? Logger { get; set; }

    protected override string? BreadcrumbValue => Command;

    protected override void Configure()
    {
        if (string.IsNullOrWhiteSpace(Command))
            throw new ConfigurationError("CronJob: the command must not be empty.");
        if (string.IsNullOrWhiteSpace(Timing))
            throw new ConfigurationError($"CronJob(\"{Command}\"): Timing is required (e.g. \"0 3 * * *\" or \"@daily\").");
        if ((Command + Args + Timing + Logger).Contains('\n'))
            throw new ConfigurationError($"CronJob(\"{Command}\"): a cron job must fit on one line.");
        Provide(ResourceKey, this);
    }

    /// <summary>The crontab line of this job.</summary>
    [NotASetting]
    public string Line
    {
        get
        {
            var line = string.Join(' ', new[] { Timing!.Trim(), Command.Trim(), Args.Trim() }.Where(p => p.Length > 0));
            return Logger is { Length: > 0 } ? $"{line} 2>&1 | logger -t {Logger}" : line;
        }
    }

    public override string ToString() => $"CronJob(\"{Command}\") on {RootState?.Host.Name} — add a CronTab component to this host";
}
