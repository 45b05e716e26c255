using System.Globalization;
using System.Reflection;
using Batou.Engine.Configuration;

namespace Batou.Engine.Util;

/// <summary>Converts configuration strings to setting types: strings, numbers, bools, enums, durations, lists, addresses.</summary>
internal static class ValueConverter
{
    public static bool TryConvert(string text, Type type, out object? value, out string problem)
    {
        problem = "";
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (text.Trim().Length == 0) return true;
            type = underlying;
        }
        try
        {
            value = Convert(text, type);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException or TargetInvocationException)
        {
            problem = e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message;
            return false;
        }
    }

    private static object Convert(string text, Type type)
    {
        var t = text.Trim();
        if (type == typeof(string)) return text;
        if (type == typeof(bool)) return ParseBool(t);
        if (type == typeof(int)) return int.Parse(t, CultureInfo.InvariantCulture);
        if (type == typeof(long)) return long.Parse(t, CultureInfo.InvariantCulture);
        if (type == typeof(double)) return Finite(double.Parse(t, CultureInfo.InvariantCulture), t);
        if (type == typeof(float)) return (float)Finite(float.Parse(t, CultureInfo.InvariantCulture), t);
        if (type == typeof(decimal)) return decimal.Parse(t, CultureInfo.InvariantCulture);
        if (type == typeof(TimeSpan)) return Durations.Parse(t);
        if (type == typeof(Uri)) return new Uri(t, UriKind.RelativeOrAbsolute);
        if (type.IsEnum) return ParseEnum(t, type);
        if (ElementType(type) is { } element)
        {
            var items = IniDocument.AsList(text).Select(i => Convert(i, element)).ToList();
            var array = Array.CreateInstance(element, items.Count);
            for (var i = 0; i < items.Count; i++) array.SetValue(items[i], i);
            if (type.IsArray || type.IsInterface) return array;
            return Activator.CreateInstance(type, array)!;
        }
        var parse = type.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        if (parse is not null) return parse.Invoke(null, [t])!;
        var ctor = type.GetConstructor([typeof(string)]);
        if (ctor is not null) return ctor.Invoke([t]);
        if (type.IsPrimitive) return System.Convert.ChangeType(t, type, CultureInfo.InvariantCulture);
        throw new NotSupportedException($"settings of type {type.Name} cannot be set from the environment");
    }

    /// <summary>NaN and infinities (also what 1e400 parses to) are not settings anyone means.</summary>
    private static double Finite(double value, string t) =>
        double.IsFinite(value) ? value : throw new FormatException($"`{t}` is not a finite number (or out of range)");

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var def = type.GetGenericTypeDefinition();
        if (def == typeof(List<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>) || def == typeof(IEnumerable<>)
            || def == typeof(ICollection<>) || def == typeof(IReadOnlyCollection<>))
            return type.GetGenericArguments()[0];
        return null;
    }

    private static bool ParseBool(string t) => t.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => throw new FormatException($"`{t}` is not a boolean (use true/false, yes/no, on/off, 1/0)"),
    };

    private static object ParseEnum(string t, Type type)
    {
        var normalized = t.Replace("_", "").Replace("-", "");
        foreach (var name in Enum.GetNames(type))
            if (string.Equals(name, normalized, StringComparison.OrdinalIgnoreCase))
                return Enum.Parse(type, name);
        throw new FormatException($"`{t}` is not one of: {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}");
    }
}
