using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A structured file (JSON, YAML) from <see cref="Data"/> (dictionaries, lists, anonymous objects,
/// records) or a <see cref="Content.Source"/> file next to the component, with
/// <see cref="Override"/> deep-merged in (dictionaries recursively, lists concatenated, other
/// values replaced).
/// </summary>
public abstract class StructuredContent(string path) : Content(path)
{
    /// <summary>The data to write (instead of a source file).</summary>
    [NotASetting] public object? Data { get; set; }

    /// <summary>Data deep-merged over <see cref="Data"/> or the source's data.</summary>
    [NotASetting] public object? Override { get; set; }

    protected override bool HasInlineContent => Data is not null;

    /// <summary>The format's name, for messages.</summary>
    protected abstract string Format { get; }

    /// <summary>Reads the source file's text into plain data; throws <see cref="FormatException"/> when it is invalid.</summary>
    protected abstract object? Parse(string text);

    /// <summary>Writes plain data (dictionaries, lists, scalars) in the format.</summary>
    protected abstract string Write(object? data);

    protected override void Configure()
    {
        if (Data is not null && Source is not null)
            throw new ConfigurationError($"{Breadcrumb}: give either Data or a Source, not both");
        if (Text is not null)
            throw new ConfigurationError($"{Breadcrumb}: set Data (or a Source), not Text");
        IsTemplate = false;
        base.Configure();
    }

    protected override byte[] Render()
    {
        object? data;
        if (Data is not null)
            data = StructuredData.FromObject(Data);
        else
        {
            try
            {
                data = Parse(System.IO.File.ReadAllText(SourcePath));
            }
            catch (FormatException e)
            {
                throw new ConfigurationError($"{Breadcrumb}: {SourcePath} is not valid {Format}: {e.Message}");
            }
        }
        if (Override is not null)
            data = StructuredData.Merge(data, StructuredData.FromObject(Override));
        return System.Text.Encoding.UTF8.GetBytes(Write(data));
    }
}
