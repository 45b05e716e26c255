namespace Batou.Lib;

/// <summary>What <see cref="File"/> ensures at its path.</summary>
public enum Ensure { File, Directory, Symlink }

/// <summary>
/// A file, directory or symlink with content, mode, owner and group: batou's <c>File</c>.
/// Without <see cref="Content"/> or <see cref="Source"/>, the file of the same name next to the
/// component is used as a template.
/// </summary>
public class File(string path) : FileComponent(path)
{
    public Ensure Ensure { get; set; } = Ensure.File;
    /// <summary>The wanted content; an empty string only ensures the file exists.</summary>
    public string? Content { get; set; }
    /// <summary>A file (or directory, for <see cref="Ensure.Directory"/>) relative to the defdir.</summary>
    public string? Source { get; set; }
    public bool IsTemplate { get; set; } = true;
    [NotASetting] public Component? TemplateContext { get; set; }
    [NotASetting] public object? TemplateArgs { get; set; }
    /// <summary>Null for binary content.</summary>
    public string? Encoding { get; set; } = "utf-8";
    public string? Owner { get; set; }
    public string? Group { get; set; }
    public string? Mode { get; set; }
    /// <summary>The symlink target, with <see cref="Ensure.Symlink"/>.</summary>
    public string? LinkTo { get; set; }
    public bool? SensitiveData { get; set; }

    protected override void Configure()
    {
        switch (Ensure)
        {
            case Ensure.File:
                Add(new Presence(OriginalPath) { Leading = Leading });
                break;
            case Ensure.Directory:
                Add(new Directory(OriginalPath) { Leading = Leading, Source = Source });
                break;
            case Ensure.Symlink:
                Add(new Symlink(OriginalPath) { Source = LinkTo ?? throw new ConfigurationError($"{Breadcrumb}: Ensure.Symlink needs LinkTo") });
                break;
        }
        if (Mode is not null)
            Add(new Mode(OriginalPath) { Value = Mode });
        if (Ensure == Ensure.File)
            AddContent();
        if (Owner is not null)
            Add(new Owner(OriginalPath) { Name = Owner });
        if (Group is not null)
            Add(new Group(OriginalPath) { Name = Group });
    }

    private void AddContent()
    {
        if (Content == "") return;
        if (Content is null && Source is null)
        {
            var implicitSource = System.IO.Path.Combine(Defdir, System.IO.Path.GetFileName(OriginalPath));
            if (!System.IO.File.Exists(implicitSource))
                throw new ConfigurationError(
                    $"Missing implicit template file {implicitSource}. Or did you want to create an empty file? Then use new File(\"{OriginalPath}\") {{ Content = \"\" }}.");
            Source = implicitSource;
        }
        Add(new Content(OriginalPath)
        {
            Text = Content,
            Source = Source,
            IsTemplate = IsTemplate && Encoding is not null,
            TemplateContext = TemplateContext ?? Parent,
            TemplateArgs = TemplateArgs,
            Encoding = Encoding,
            SensitiveData = SensitiveData,
        });
    }
}

/// <summary>A <see cref="File"/> with binary content: no template, no diff.</summary>
public class BinaryFile : File
{
    public BinaryFile(string path) : base(path)
    {
        IsTemplate = false;
        Encoding = null;
    }
}
