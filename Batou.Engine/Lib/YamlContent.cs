using Batou.Lib.Internal;

namespace Batou.Lib;

/// <summary>A YAML file (see <see cref="StructuredContent"/>), in block style with sorted keys so the output is stable.</summary>
public class YamlContent(string path) : StructuredContent(path)
{
    protected override string Format => "YAML";

    protected override object? Parse(string text)
    {
        try
        {
            return YamlData.Parse(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    protected override string Write(object? data) => YamlData.Write(data);
}
