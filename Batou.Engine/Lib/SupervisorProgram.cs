using System.Diagnostics;
using System.Text;
using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A program run by supervisor (Debian's <c>supervisor</c>): <c>/etc/supervisor/conf.d/&lt;name&gt;.conf</c>
/// (or <c>path</c>) generated from <see cref="Command"/> and the other settings, or from a template
/// (<see cref="CheckedConfig.Content"/>/<see cref="CheckedConfig.Source"/>). A changed file is
/// applied with <c>reread</c> and <c>update</c> (which restarts the program); a change of a component
/// in <see cref="Watch"/> restarts it; a program that is not running is started. The deployment
/// waits until the program is RUNNING and fails with its state and log tail otherwise.
/// </summary>
public class SupervisorProgram(string name, string? path = null) : CheckedConfig(path ?? $"/etc/supervisor/conf.d/{name}.conf")
{
    [NotASetting] public string Name { get; } = name;

    /// <summary>The program's command line (required unless a template is given).</summary>
    public string? Command { get; set; }

    /// <summary>Its working directory.</summary>
    public string? Directory { get; set; }

    /// <summary>The user it runs as.</summary>
    public string? User { get; set; }

    /// <summary>supervisor's <c>environment=</c> value, e.g. <c>ASPNETCORE_URLS="http://127.0.0.1:5000"</c>.</summary>
    public string? Env { get; set; }

    /// <summary>Where its output goes; default: supervisor's automatic log.</summary>
    public string? Logfile { get; set; }

    /// <summary>How long it must stay up to count as started (supervisor's <c>startsecs</c>).</summary>
    public int StartSeconds { get; set; } = 1;

    /// <summary>The supervisorctl invocation (the command seam: e.g. <c>supervisorctl -c /srv/supervisord.conf</c>).</summary>
    public string Supervisorctl { get; set; } = "supervisorctl";

    /// <summary>Components whose change in this deployment restarts the program.</summary>
    [NotASetting] public IReadOnlyList<Component> Watch { get; set; } = [];

    protected override string? BreadcrumbValue => Name;

    protected override string? CheckCommand => null;

    protected override string? ApplyCommand => $"{Supervisorctl} reread && {Supervisorctl} update {Name}";

    protected override string? Generated
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Command))
                throw new ConfigurationError($"SupervisorProgram(\"{Name}\"): set Command (or give a template with Content or Source).");
            var text = new StringBuilder($"[program:{Name}]\ncommand={Command}\n");
            if (Directory is not null) text.Append($"directory={Directory}\n");
            if (User is not null) text.Append($"user={User}\n");
            if (Env is not null) text.Append($"environment={Env}\n");
            text.Append($"autostart=true\nautorestart=true\nstartsecs={StartSeconds}\nstopasgroup=true\nkillasgroup=true\nredirect_stderr=true\n");
            if (Logfile is not null) text.Append($"stdout_logfile={Logfile}\n");
            return text.ToString();
        }
    }

    protected override void Configure()
    {
        if (Name.Length == 0 || Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ConfigurationError($"SupervisorProgram(\"{Name}\"): the name may only contain letters, digits, '-', '_' and '.'.");
        base.Configure();
    }

    private string? ChangedWatch() => Watch.FirstOrDefault(w => w.Changed)?.Breadcrumb;

    protected override void Verify()
    {
        base.Verify();
        if (ChangedWatch() is { } watched) throw new UpdateNeeded($"{watched} changed");
        var state = State();
        if (state != "RUNNING") throw new UpdateNeeded($"{Name} is {state}");
    }

    protected override void Update()
    {
        var applied = FileChanged;
        base.Update();
        if (!applied && ChangedWatch() is not null) Cmd($"{Supervisorctl} restart {Name}");
        var state = WaitWhileStarting();
        if (state == "STOPPED")
        {
            Cmd($"{Supervisorctl} start {Name}");
            state = WaitWhileStarting();
        }
        if (state != "RUNNING")
        {
            var (log, _) = Cmd($"{Supervisorctl} tail {Name}", silent: true, ignoreReturnCode: true);
            throw new DeploymentError($"supervisor program {Name} is {state}, not RUNNING. Last output:\n{log.TrimEnd()}");
        }
    }

    /// <summary>The program's state word (RUNNING, STARTING, STOPPED, FATAL, BACKOFF, …), or what supervisorctl said.</summary>
    private string State()
    {
        // supervisord's own socket when the command is the plain `supervisorctl -c FILE` (no Python start-up per verify)
        if (SupervisorRpc.State(Supervisorctl, Name) is { } state) return state;
        var (stdout, stderr) = Cmd($"{Supervisorctl} status {Name}", silent: true, ignoreReturnCode: true);
        var line = (stdout + stderr).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "unknown";
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length >= 2 && words[0] == Name ? words[1] : $"not known to supervisor ({line})";
    }

    private string WaitWhileStarting()
    {
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(StartSeconds + 30);
        while (true)
        {
            var state = State();
            if (state is not ("STARTING" or "BACKOFF") || clock.Elapsed > limit) return state;
            Thread.Sleep(200);
        }
    }
}
