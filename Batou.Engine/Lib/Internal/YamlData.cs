using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Batou.Lib.Internal;

/// <summary>
/// Reads YAML into the <see cref="StructuredData"/> model (plain scalars resolved to null, bool,
/// int and float as YAML 1.1 does) and writes it back as block-style YAML with sorted keys;
/// strings that would read back as another type are quoted.
/// </summary>
internal static partial class YamlData
{
    public static object? Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : FromNode(stream.Documents[0].RootNode);
    }

    public static string Write(object? data)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(output, new EmitterSettings(2, int.MaxValue, false, 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, data);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return output.ToString();
    }

    private static object? FromNode(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = StructuredData.NewMap();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode scalarKey)
                        throw new ConfigurationError($"Only scalar keys are supported in YAML (line {key.Start.Line})");
                    map[scalarKey.Value ?? ""] = FromNode(value);
                }
                return map;
            case YamlSequenceNode sequence:
                return sequence.Children.Select(FromNode).ToList();
            case YamlScalarNode scalar:
                if (scalar.Style != ScalarStyle.Plain || (scalar.Tag is { IsEmpty: false, IsNonSpecific: false } tag && tag.Value.EndsWith(":str", StringComparison.Ordinal)))
                    return scalar.Value ?? "";
                return Resolve(scalar.Value);
            default:
                throw new ConfigurationError($"Unsupported YAML node at line {node.Start.Line}");
        }
    }

    /// <summary>The value a plain scalar stands for.</summary>
    private static object? Resolve(string? text)
    {
        if (text is null or "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON") return true;
        if (text is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF") return false;
        if (IntPattern().IsMatch(text))
            return long.TryParse(text.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? (object)l
                : double.Parse(text.Replace("_", ""), CultureInfo.InvariantCulture);
        if (FloatPattern().IsMatch(text)) return double.Parse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture);
        return text.ToLowerInvariant() switch
        {
            ".inf" or "+.inf" => double.PositiveInfinity,
            "-.inf" => double.NegativeInfinity,
            ".nan" => double.NaN,
            _ => text,
        };
    }

    private static void Emit(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case SortedDictionary<string, object?> map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in map)
                {
                    EmitString(emitter, key);
                    Emit(emitter, item);
                }
                emitter.Emit(new MappingEnd());
                break;
            case List<object?> list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case string s:
                EmitString(emitter, s);
                break;
            default:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, Format(value), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string s)
    {
        var style = Resolve(s) is not string ? ScalarStyle.SingleQuoted
            : s.Contains('\n') ? ScalarStyle.Literal
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, s, style, true, true));
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        true => "true",
        false => "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when double.IsNaN(d) => ".nan",
        double d when double.IsPositiveInfinity(d) => ".inf",
        double d when double.IsNegativeInfinity(d) => "-.inf",
        double d => StructuredData.FormatDouble(d),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
