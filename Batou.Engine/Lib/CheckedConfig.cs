using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A configuration file that a program must accept before it goes live: the file is written (with
/// a diff, like <see cref="File"/>), <see cref="CheckCommand"/> runs, and when it fails the previous
/// file is put back and the deployment fails with the program's own message. After a change,
/// <see cref="ApplyCommand"/> runs (a reload); an apply that failed is retried on the next
/// deployment. The base of <see cref="NginxSite"/>, <see cref="SupervisorProgram"/>,
/// <see cref="Logrotate"/> and <see cref="SystemdUnit"/>.
/// </summary>
public abstract class CheckedConfig(string path) : FileComponent(path)
{
    /// <summary>The content as a template (<c>{{component.X}}</c> is the parent component).</summary>
    public string? Content { get; set; }

    /// <summary>A template file relative to the component's folder; default: <see cref="DefaultSource"/>.</summary>
    public string? Source { get; set; }

    /// <summary>Exposed to templates as <c>args</c>.</summary>
    [NotASetting] public object? TemplateArgs { get; set; }

    /// <summary>True: never show a diff. Null: hidden when it contains a secret.</summary>
    public bool? SensitiveData { get; set; }

    /// <summary>The shell command that validates the written file; null: none.</summary>
    protected abstract string? CheckCommand { get; }

    /// <summary>The shell command that makes a changed file take effect; null: none.</summary>
    protected abstract string? ApplyCommand { get; }

    /// <summary>The template used when neither <see cref="Content"/> nor <see cref="Source"/> is set.</summary>
    protected virtual string DefaultSource => System.IO.Path.GetFileName(OriginalPath);

    /// <summary>Content generated from settings when there is no template; null: use the template.</summary>
    protected virtual string? Generated => null;

    private StashingContent? _content;

    /// <summary>Whether the file changed (or would change) in this deployment.</summary>
    [NotASetting] protected bool FileChanged => _content?.Changed ?? false;

    protected override void Configure()
    {
        var generated = Content is null && Source is null ? Generated : null;
        _content = Add(new StashingContent(OriginalPath)
        {
            Text = generated ?? Content,
            Source = generated is null && Content is null ? Source ?? DefaultSource : null,
            IsTemplate = generated is null,
            TemplateContext = Parent,
            TemplateArgs = TemplateArgs,
            SensitiveData = SensitiveData,
            Leading = Leading,
        });
    }

    private string PendingMarker => Map(".batou-apply-" + Checksum(Path)[..16] + ".pending");

    protected override void Verify()
    {
        if (_content!.Changed) throw new UpdateNeeded($"{System.IO.Path.GetFileName(Path)} changed");
        if (System.IO.File.Exists(PendingMarker)) throw new UpdateNeeded($"`{ApplyCommand}` failed last time");
    }

    protected override void Update()
    {
        if (_content!.Written && CheckCommand is { } check)
        {
            try
            {
                Cmd(check, silent: true);
            }
            catch (CmdExecutionError e)
            {
                _content.Restore();
                var output = string.Join('\n', new[] { e.Stderr.Trim(), e.Stdout.Trim() }.Where(s => s.Length > 0));
                throw new DeploymentError(
                    $"`{e.Command}` rejected {Path} (exit code {e.ExitCode}); {(_content.Previous is null ? "the new file was removed" : "the previous file was restored")}:\n{output}");
            }
        }
        if (_content.Written || System.IO.File.Exists(PendingMarker)) Apply();
    }

    /// <summary>Runs <see cref="ApplyCommand"/>, remembering a failure for the next deployment.</summary>
    protected void Apply()
    {
        if (ApplyCommand is not { } apply) return;
        System.IO.File.WriteAllText(PendingMarker, apply);
        Cmd(apply);
        System.IO.File.Delete(PendingMarker);
    }
}
