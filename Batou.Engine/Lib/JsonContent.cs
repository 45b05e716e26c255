using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>
/// A JSON file (see <see cref="StructuredContent"/>). Keys are sorted; <see cref="HumanReadable"/>
/// output is indented by 4 spaces and ends with a newline.
/// </summary>
public class JsonContent(string path) : StructuredContent(path)
{
    /// <summary>True: sorted keys, 4-space indent, final newline. False: compact.</summary>
    public bool HumanReadable { get; set; } = true;

    protected override string Format => "JSON";

    protected override object? Parse(string text)
    {
        try
        {
            return StructuredData.ParseJson(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    protected override string Write(object? data) => StructuredData.ToJson(data, HumanReadable);
}
