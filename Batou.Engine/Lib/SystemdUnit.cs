namespace Batou.Lib;

/// <summary>
/// A systemd unit file, <c>/etc/systemd/system/&lt;name&gt;</c> (or <c>path</c>; the name includes
/// the suffix, e.g. <c>shop.service</c>) from the template of the same name or
/// <see cref="CheckedConfig.Content"/>. Validated with <c>systemd-analyze verify</c> (the previous
/// file comes back when it fails), then <c>daemon-reload</c>, <c>enable</c>, <c>restart</c> when
/// the file or a <see cref="Watch"/>ed component changed, and a check that it is active. Every
/// <c>systemctl</c> call goes through <see cref="Systemctl"/> (the command seam).
/// </summary>
public class SystemdUnit(string name, string? path = null) : CheckedConfig(path ?? $"/etc/systemd/system/{name}")
{
    [NotASetting] public string Name { get; } = name;

    /// <summary>The systemctl invocation (e.g. <c>systemctl --user</c>).</summary>
    public string Systemctl { get; set; } = "systemctl";

    /// <summary>The validation command; the unit file's path is appended. Empty: no validation.</summary>
    public string Analyze { get; set; } = "systemd-analyze verify";

    /// <summary>Enable the unit (start at boot).</summary>
    public bool Enable { get; set; } = true;

    /// <summary>Keep the unit running (start when inactive, restart on change); false for units that are only enabled.</summary>
    public bool Start { get; set; } = true;

    /// <summary>Components whose change in this deployment restarts the unit.</summary>
    [NotASetting] public IReadOnlyList<Component> Watch { get; set; } = [];

    protected override string? BreadcrumbValue => Name;

    protected override string? CheckCommand => Analyze.Length == 0 ? null : $"{Analyze} '{Path.Replace("'", "'\\''")}'";

    protected override string? ApplyCommand => $"{Systemctl} daemon-reload";

    protected override void Configure()
    {
        if (!Name.Contains('.') || Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or ':')))
            throw new ConfigurationError($"SystemdUnit(\"{Name}\"): a unit name with its suffix, e.g. \"shop.service\".");
        base.Configure();
    }

    private string? ChangedWatch() => Watch.FirstOrDefault(w => w.Changed)?.Breadcrumb;

    protected override void Verify()
    {
        base.Verify();
        if (ChangedWatch() is { } watched) throw new UpdateNeeded($"{watched} changed");
        if (Enable && !Check("is-enabled")) throw new UpdateNeeded($"{Name} is not enabled");
        if (Start && !Check("is-active")) throw new UpdateNeeded($"{Name} is not active");
    }

    /// <summary>Whether <c>systemctl &lt;verb&gt; &lt;unit&gt;</c> exits 0.</summary>
    private bool Check(string verb)
    {
        try
        {
            Cmd($"{Systemctl} {verb} {Name}", silent: true, expand: false);
            return true;
        }
        catch (CmdExecutionError)
        {
            return false;
        }
    }

    protected override void Update()
    {
        var restart = FileChanged || ChangedWatch() is not null;
        base.Update();
        if (Enable && !Check("is-enabled")) Cmd($"{Systemctl} enable {Name}", expand: false);
        if (!Start) return;
        if (restart) Cmd($"{Systemctl} restart {Name}", expand: false);
        else if (!Check("is-active")) Cmd($"{Systemctl} start {Name}", expand: false);
        if (!Check("is-active"))
        {
            var (status, _) = Cmd($"{Systemctl} status --no-pager {Name}", silent: true, ignoreReturnCode: true, expand: false);
            throw new DeploymentError($"{Name} is not active after starting it:\n{status.TrimEnd()}");
        }
    }
}
