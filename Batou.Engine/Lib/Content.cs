using System.Text;
using Batou.Engine.Diffs;
using Batou.Engine.Util;

namespace Batou.Lib;

/// <summary>
/// Ensures a file's exact bytes: from <see cref="Text"/> or a <see cref="Source"/> file next to the
/// component, rendered as a template unless told otherwise. Shows a unified diff when it differs,
/// writes atomically, and leaves an unchanged file untouched (mtime kept).
/// </summary>
public class Content(string path) : FileComponent(path)
{
    internal const int MaxDiff = 200;
    internal const int MaxDiffLead = 50;

    /// <summary>The wanted content (batou's <c>content=</c>).</summary>
    public string? Text { get; set; }

    /// <summary>A file (relative to the defdir) to take the content from.</summary>
    public string? Source { get; set; }

    public bool IsTemplate { get; set; } = true;

    /// <summary>The component templates see as <c>component</c>; default the parent.</summary>
    [NotASetting] public Component? TemplateContext { get; set; }

    /// <summary>Exposed to templates as <c>args</c>.</summary>
    [NotASetting] public object? TemplateArgs { get; set; }

    /// <summary>Text encoding; null means binary (no template, no diff).</summary>
    public string? Encoding { get; set; } = "utf-8";

    /// <summary>True: never show a diff. False: always show. Null: hide when it contains a secret.</summary>
    public bool? SensitiveData { get; set; }

    private byte[]? _wanted;

    protected override void Configure()
    {
        if (HasInlineContent && Source is not null)
            throw new ConfigurationError($"{Breadcrumb}: give either the content or a source, not both");
        if (!HasInlineContent && Source is null)
            Source = System.IO.Path.GetFileName(OriginalPath);
        if (Source is null || System.IO.File.Exists(SourcePath))
            _wanted = Render();
    }

    /// <summary>Whether the content is given in code (not read from <see cref="Source"/>).</summary>
    protected virtual bool HasInlineContent => Text is not null;

    /// <summary>The absolute path of <see cref="Source"/> (relative sources are in the defdir).</summary>
    protected string SourcePath => System.IO.Path.IsPathRooted(Source!) ? Source! : System.IO.Path.Combine(Defdir, Source!);

    /// <summary>The wanted bytes. Subclasses (JSON, YAML) produce them from data.</summary>
    protected virtual byte[] Render()
    {
        var encoding = Encoding is null ? null : System.Text.Encoding.GetEncoding(Encoding);
        if (encoding is null)
            return Text is not null ? System.Text.Encoding.UTF8.GetBytes(Text) : System.IO.File.ReadAllBytes(SourcePath);
        var text = Text ?? System.IO.File.ReadAllText(SourcePath, encoding);
        // text without "{{" renders as itself: no template engine, and no breadcrumbs (a string built per
        // component) for the name that only an error would show
        if (IsTemplate && text.Contains("{{", StringComparison.Ordinal))
            text = Expand(text, TemplateContext ?? Parent ?? this, TemplateArgs, Text is null ? SourcePath : Breadcrumbs);
        return encoding.GetBytes(text);
    }

    /// <summary>The bytes this component will write (rendered on first use).</summary>
    [NotASetting] public byte[] Wanted => _wanted ??= Render();

    protected override void Verify()
    {
        if (_wanted is null && Source is not null && !System.IO.File.Exists(SourcePath))
        {
            if (Predicting) throw new UpdateNeeded($"source {Source} does not exist yet");
            throw new FileNotFoundException($"Source file for {Breadcrumb} does not exist", SourcePath);
        }
        var wanted = Wanted;
        if (FileCompare.ReadIfDifferent(Path, wanted) is not { } current) return;
        ReportDiff(current, wanted);
        throw new UpdateNeeded("content differs");
    }

    protected override void Update()
    {
        EnsureParent();
        WriteAtomically(Path, Wanted);
    }

    private void ReportDiff(byte[] current, byte[] wanted)
    {
        var session = RootOrThrow.Session!;
        var name = System.IO.Path.GetFileName(Path);
        if (Encoding is null)
        {
            session.Emit(new Engine.Api.FileDiff(Host.Name, Breadcrumbs, Path, [], "Not showing diff for binary data.", null));
            return;
        }
        var oldText = System.Text.Encoding.UTF8.GetString(current);
        var newText = System.Text.Encoding.UTF8.GetString(wanted);
        if (SensitiveData == true || (SensitiveData is null && Environment.ContainsSecret(oldText, newText)))
        {
            session.Emit(new Engine.Api.FileDiff(Host.Name, Breadcrumbs, Path, [], "Not showing diff as it contains sensitive data.", null));
            return;
        }
        var diff = UnifiedDiff.Create(oldText, newText);
        if (diff.Count <= MaxDiff)
        {
            session.Emit(new Engine.Api.FileDiff(Host.Name, Breadcrumbs, Path, diff, null, null));
            return;
        }
        var diffDir = System.IO.Path.Combine(Environment.WorkBase, ".batou-diffs");
        System.IO.Directory.CreateDirectory(diffDir);
        var file = System.IO.Path.Combine(diffDir, $"{name}-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid().ToString("N")[..6]}.diff");
        AtomicFile.Write(file, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', diff) + "\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var shown = diff.Take(MaxDiffLead).Append("...").Concat(diff.Skip(diff.Count - MaxDiffLead)).ToList();
        session.Emit(new Engine.Api.FileDiff(Host.Name, Breadcrumbs, Path, shown,
            $"More than {MaxDiff} lines of diff. Showing first and last {MaxDiffLead} lines.", file));
    }
}
