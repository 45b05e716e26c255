using System.Collections.Concurrent;
using System.Reflection;
using Batou.Engine.Api;
using Batou.Engine.Templates;
using Batou.Engine.Util;

namespace Batou.Engine.Planning;

/// <summary>
/// Applies <c>[component:x]</c> overrides to a root component's settings: snake_case keys find
/// PascalCase properties; values are expanded as templates, then converted to the property type.
/// All problems of one component are reported together.
/// </summary>
internal static class SettingBinder
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, PropertyInfo>> s_settings = new();

    public static IReadOnlyDictionary<string, PropertyInfo> Settings(Type type) =>
        s_settings.GetOrAdd(type, t => PropertiesOf(t) is var owner && owner != t
            ? Settings(owner)
            : t.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.DeclaringType != typeof(Component)
                            && p.GetCustomAttribute<NotASettingAttribute>() is null && p.GetIndexParameters().Length == 0)
                .GroupBy(p => Normalize(p.Name))
                .ToDictionary(g => g.Key, g => g.First()));

    /// <summary>
    /// The class whose properties <paramref name="type"/> has: its base class while it declares none of its own
    /// (a model's many root classes over one base class), so their settings are looked up once, not per class.
    /// </summary>
    private static Type PropertiesOf(Type type)
    {
        const BindingFlags declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        while (type.BaseType is { } parent && parent != typeof(object) && type.GetProperties(declared).Length == 0)
            type = parent;
        return type;
    }

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> s_mapped = new();

    /// <summary>Passes the values of <see cref="MappedAttribute"/> string properties through <see cref="Component.Map"/>.</summary>
    public static void MapPaths(Component component)
    {
        var mapped = s_mapped.GetOrAdd(component.GetType(), MappedOf);
        foreach (var property in mapped)
            if (property.GetValue(component) is string { Length: > 0 } path)
                property.SetValue(component, component.Map(path));
    }

    private static PropertyInfo[] MappedOf(Type type) =>
        PropertiesOf(type) is var owner && owner != type
            ? s_mapped.GetOrAdd(owner, MappedOf)
            : type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                .Where(p => p.PropertyType == typeof(string) && p.CanWrite && p.GetCustomAttribute<MappedAttribute>() is not null).ToArray();

    public static string Normalize(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();

    public static void Apply(Component component, IReadOnlyDictionary<string, OverrideValue> overrides)
    {
        if (overrides.Count == 0) return;
        var settings = Settings(component.GetType());
        var errors = new List<BatouError>();
        var missing = overrides.Where(o => !settings.ContainsKey(Normalize(o.Key))).ToList();
        if (missing.Count > 0)
        {
            var first = missing[0].Value;
            errors.Add(BatouError.Create("MissingOverrideAttributes", "Overrides for undefined attributes",
                    ("Component", component.GetType().Name),
                    ("Attributes", string.Join(", ", missing.Select(m => m.Key))),
                    ("File", $"{first.File}:{first.Line}"),
                    ("Available", settings.Count == 0 ? "(no settings)" : string.Join(", ", settings.Values.Select(p => SnakeCase(p.Name)).Order())))
                with { File = first.File, Line = first.Line, Component = component.GetType().Name, SortKey = 3 });
        }
        foreach (var (key, value) in overrides)
        {
            if (!settings.TryGetValue(Normalize(key), out var property)) continue;
            string text;
            try
            {
                text = value.Value.Contains("{{", StringComparison.Ordinal)
                    ? TemplateRenderer.Render(value.Value, $"{value.File}:{value.Line}", component, null)
                    : value.Value;
            }
            catch (TemplateException t)
            {
                // the template is one value of environment.cfg: point at that line, not at a line inside the value
                var line = value.Line + (t.Error.Line ?? 1) - 1;
                errors.Add(t.Error with
                {
                    Component = component.GetType().Name,
                    File = value.File,
                    Line = line,
                    Details = [new ErrorDetail("Setting", key), new ErrorDetail("Template", $"{value.File}:{line}"), .. t.Error.Details.Where(d => d.Label != "Template")],
                    SortKey = 1,
                });
                continue;
            }
            if (ValueConverter.TryConvert(text, property.PropertyType, out var converted, out var problem))
            {
                property.SetValue(component, converted);
                continue;
            }
            // the converters quote the text in their messages: for a secret, name the key and the type only
            var secret = value.Secret || component.Environment.ContainsSecret(value.Value, text);
            errors.Add(BatouError.Create("ConversionError", $"Cannot convert the value of setting `{key}`",
                    ("Component", component.GetType().Name),
                    ("Setting", $"{key} ({property.PropertyType.Name})"),
                    ("Value", secret ? "(secret value, not shown)" : text),
                    ("Problem", secret ? $"the secret value of `{key}` is not a valid {property.PropertyType.Name}" : problem),
                    ("File", $"{value.File}:{value.Line}"))
                with { File = value.File, Line = value.Line, Component = component.GetType().Name, SortKey = 1 });
        }
        if (errors.Count > 0)
            throw new BatouException(errors);
    }

    public static string SnakeCase(string pascal)
    {
        var chars = new System.Text.StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0 && !char.IsUpper(pascal[i - 1])) chars.Append('_');
            chars.Append(char.ToLowerInvariant(pascal[i]));
        }
        return chars.ToString();
    }
}
