using Batou.Lib.Native;

namespace Batou.Lib;

/// <summary>
/// A JSON file from <see cref="Data"/> (dictionaries, lists, anonymous objects, records) or a
/// <see cref="Content.Source"/> JSON file next to the component, with <see cref="Override"/>
/// deep-merged in (dictionaries recursively, lists concatenated, other values replaced).
/// Keys are sorted; <see cref="HumanReadable"/> output is indented by 4 spaces and ends with a newline.
/// </summary>
public class JsonContent(string path) : Content(path)
{
    /// <summary>The data to write (instead of a source file).</summary>
    [NotASetting] public object? Data { get; set; }

    /// <summary>Data deep-merged over <see cref="Data"/> or the source's data.</summary>
    [NotASetting] public object? Override { get; set; }

    /// <summary>True: sorted keys, 4-space indent, final newline. False: compact.</summary>
    public bool HumanReadable { get; set; } = true;

    protected override bool HasInlineContent => Data is not null;

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
                data = StructuredData.ParseJson(System.IO.File.ReadAllText(SourcePath));
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ConfigurationError($"{Breadcrumb}: {SourcePath} is not valid JSON: {e.Message}");
            }
        }
        if (Override is not null)
            data = StructuredData.Merge(data, StructuredData.FromObject(Override));
        return System.Text.Encoding.UTF8.GetBytes(StructuredData.ToJson(data, HumanReadable));
    }
}
