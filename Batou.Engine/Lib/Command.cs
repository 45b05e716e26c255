namespace Batou.Lib;

/// <summary>
/// Runs the shell command <see cref="Run"/> (through <c>/bin/sh</c> in the workdir, expanded as a
/// template) when something it depends on changed in this deployment: one of its own
/// sub-components (add them by overriding <see cref="ConfigureInputs"/>) or a component in
/// <see cref="Watch"/>; or when the check <see cref="Unless"/> exits non-zero.
/// <see cref="Always"/> runs it on every deployment. A command that failed is run again on the
/// next deployment even when nothing changed since (a marker file in the workdir remembers it).
/// Watched components must deploy before the command: earlier siblings, or in roots it depends on.
/// </summary>
public class Command(string name) : Component
{
    [NotASetting] public string Name { get; } = name;

    /// <summary>Required: the shell command to run.</summary>
    public string? Run { get; set; }

    /// <summary>A shell check; the command runs when it exits non-zero.</summary>
    public string? Unless { get; set; }

    /// <summary>Components whose changes in this deployment trigger the command.</summary>
    [NotASetting] public IReadOnlyList<Component> Watch { get; set; } = [];

    /// <summary>Run on every deployment (needed when there is nothing to watch and no <see cref="Unless"/>).</summary>
    public bool Always { get; set; }

    protected override string? BreadcrumbValue => Name;

    /// <summary>Add sub-components whose changes trigger the command.</summary>
    protected virtual void ConfigureInputs() { }

    protected override void Configure()
    {
        ConfigureInputs();
        if (string.IsNullOrWhiteSpace(Name))
            throw new ConfigurationError("Command: the name must not be empty.");
        if (string.IsNullOrWhiteSpace(Run))
            throw new ConfigurationError($"Command(\"{Name}\"): Run is required.");
        if (Watch.Any(w => w is null))
            throw new ConfigurationError($"Command(\"{Name}\"): Watch contains null.");
        if (!Always && Unless is null && SubComponents.Count == 0 && Watch.Count == 0)
            throw new ConfigurationError(
                $"Command(\"{Name}\") has no Unless check, no sub-components and nothing to Watch, so it would run on every deployment. " +
                "Give it a trigger, or set Always = true if running every time is intended.");
    }

    private string PendingMarker =>
        System.IO.Path.Combine(Workdir, ".batou-command-" + string.Concat(Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')) + ".pending");

    protected override void Verify()
    {
        if (Always) throw new UpdateNeeded("runs on every deployment (Always = true)");
        if (System.IO.File.Exists(PendingMarker)) throw new UpdateNeeded("the previous run failed");
        var all = RootOrThrow.Instance!.PostOrder().ToList();
        var position = all.IndexOf(this);
        foreach (var watched in Watch)
        {
            if (watched.RootState == RootState && all.IndexOf(watched) is var index && (index < 0 || index > position))
                throw new ConfigurationError(
                    $"Command(\"{Name}\") watches {watched.Breadcrumbs}, which {(index < 0 ? "is not part of the model" : "deploys after it")}: add it before the command.");
            if (watched.Changed) throw new UpdateNeeded($"{watched.Breadcrumb} changed");
        }
        if (SubComponents.FirstOrDefault(c => c.Changed) is { } sub)
            throw new UpdateNeeded($"{sub.Breadcrumb} changed");
        if (Unless is not null) AssertCmd(Unless);
    }

    protected override void Update()
    {
        System.IO.File.WriteAllText(PendingMarker, Run);
        Cmd(Run!);
        System.IO.File.Delete(PendingMarker);
    }
}
