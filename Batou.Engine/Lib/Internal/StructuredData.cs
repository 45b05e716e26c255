using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Batou.Lib.Internal;

/// <summary>
/// The data model behind JSON and YAML content: null, bool, long, double, string,
/// <see cref="SortedDictionary{TKey,TValue}"/> (string keys, ordinal order) and lists.
/// Converts .NET objects (dictionaries, lists, anonymous objects, records) into it, deep-merges
/// overrides and writes JSON.
/// </summary>
internal static class StructuredData
{
    /// <summary>A .NET object as data: anything System.Text.Json can serialize.</summary>
    public static object? FromObject(object? value) => value switch
    {
        null => null,
        JsonNode node => FromJson(node),
        JsonElement element => FromJson(JsonNode.Parse(element.GetRawText())),
        _ => FromJson(JsonSerializer.SerializeToNode(value, value.GetType())),
    };

    public static object? ParseJson(string text) => FromJson(JsonNode.Parse(text));

    public static object? FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var map = NewMap();
                foreach (var (key, value) in obj) map[key] = FromJson(value);
                return map;
            case JsonArray array:
                return array.Select(FromJson).ToList();
        }
        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => ParseNumber(node.ToJsonString()),
            _ => null,
        };
    }

    public static SortedDictionary<string, object?> NewMap() => new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="overrides"/> merged into <paramref name="data"/>: dictionaries recursively,
    /// lists concatenated, anything else replaced. Neither input is modified.
    /// </summary>
    public static object? Merge(object? data, object? overrides)
    {
        if (data is SortedDictionary<string, object?> a && overrides is SortedDictionary<string, object?> b)
        {
            var result = new SortedDictionary<string, object?>(a, StringComparer.Ordinal);
            foreach (var (key, value) in b)
                result[key] = result.TryGetValue(key, out var existing) ? Merge(existing, value) : value;
            return result;
        }
        if (data is List<object?> first && overrides is List<object?> second)
            return first.Concat(second).ToList();
        return overrides;
    }

    /// <summary>Sorted keys; human-readable: 4-space indent and a final newline, else compact.</summary>
    public static string ToJson(object? data, bool humanReadable)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = humanReadable,
            IndentSize = 4,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        }))
        {
            Write(writer, data);
        }
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        return humanReadable ? text + "\n" : text;
    }

    /// <summary>A double as Python prints it: always with a fraction or exponent.</summary>
    public static string FormatDouble(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text.Contains('.') || text.Contains('e') ? text : text + ".0";
    }

    private static object ParseNumber(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? (object)l
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case SortedDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list) Write(writer, item);
                writer.WriteEndArray();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteRawValue(FormatDouble(d));
                break;
            default:
                throw new ConfigurationError($"{value} cannot be written as JSON");
        }
    }
}
