using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Batou.Engine.Templates;

/// <summary>
/// The most common template — text with <c>{{a.b.c}}</c> substitutions and nothing else — rendered
/// without compiling it with Handlebars (which builds and compiles expression trees: the largest
/// single cost of a no-op deployment that renders one template). It renders only what it is sure
/// Handlebars renders the same way: known root names, public properties found by their exact name,
/// string and integer values. Anything else (blocks, helpers, partials, comments, escapes,
/// whitespace control, other value types, a name that does not resolve) returns null, and
/// Handlebars renders the template, with its own errors.
/// </summary>
internal static class PlainTemplate
{
    private static readonly ConcurrentDictionary<string, Part[]?> s_parsed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> s_properties = new();

    /// <summary>Literal text (<see cref="Path"/> null) or a substitution.</summary>
    internal readonly record struct Part(string? Text, string[]? Path);

    public static string? TryRender(string template, IReadOnlyDictionary<string, object?> context)
    {
        if (s_parsed.GetOrAdd(template, Parse) is not { } parts) return null;
        var text = new StringBuilder(template.Length + 64);
        foreach (var part in parts)
        {
            if (part.Path is null)
            {
                text.Append(part.Text);
                continue;
            }
            if (Resolve(part.Path, context) is not { } value) return null;
            text.Append(value);
        }
        return text.ToString();
    }

    /// <summary>The template as parts, or null when it uses anything but plain substitutions.</summary>
    internal static Part[]? Parse(string template)
    {
        var parts = new List<Part>();
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new Part(template[at..], null));
                break;
            }
            if (open > 0 && template[open - 1] == '\\') return null;                  // \{{ escapes
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) return null;
            if (close + 2 < template.Length && template[close + 2] == '}') return null;  // }}}
            var inner = template[(open + 2)..close].Trim();
            var path = inner.Split('.');
            if (inner.Length == 0 || path.Any(s => s.Length == 0 || !s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(s[0]))
                || path[0] is "this" or "else")
                return null;                                                       // {{#, {{/, {{>, {{!, {{~, {{{, helpers with arguments …
            if (open > at) parts.Add(new Part(template[at..open], null));
            parts.Add(new Part(null, path));
            at = close + 2;
        }
        return [.. parts];
    }

    private static string? Resolve(string[] path, IReadOnlyDictionary<string, object?> context)
    {
        if (!context.TryGetValue(path[0], out var value)) return null;
        for (var i = 1; i < path.Length; i++)
        {
            if (value is null or IDictionary<string, object?> or System.Collections.IEnumerable) return null;
            var type = value.GetType();
            var property = s_properties.GetOrAdd((type, path[i]), key => Find(key.Item1, key.Item2));
            if (property is null) return null;
            try
            {
                value = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                return null;
            }
        }
        return value switch
        {
            string s => s,
            int or long or short or byte or sbyte or uint or ulong or ushort => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static PropertyInfo? Find(Type type, string name)
    {
        try
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            return property is { CanRead: true } && property.GetIndexParameters().Length == 0 && property.GetMethod!.IsPublic ? property : null;
        }
        catch (AmbiguousMatchException)
        {
            return null;
        }
    }
}
