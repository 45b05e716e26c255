using System.Text.RegularExpressions;

namespace Batou.Web.Infrastructure;

/// <summary>
/// A dashboard setting that cannot be read as its type (<c>Batou__Engine__PoolSize=two</c>): the dashboard does not
/// start, and says which setting, where it can come from and what it should be, in one line instead of the
/// configuration binder's stack trace. The value itself is not repeated (a misplaced secret stays out of logs).
/// </summary>
internal static partial class BadSetting
{
    private const string BinderAssembly = "Microsoft.Extensions.Configuration.Binder";

    /// <summary>The message for an exception caused by a setting that cannot be converted; null for anything else.</summary>
    public static string? Describe(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is not InvalidOperationException { Source: BinderAssembly }) continue;
            var m = BinderMessage().Match(e.Message);
            if (!m.Success) continue;
            var key = m.Groups["key"].Value;
            var type = Type.GetType(m.Groups["type"].Value);
            return $"batou dashboard: the setting {key} is not {Expected(type, m.Groups["type"].Value)}. It comes from appsettings.json, "
                + $"an environment variable {key.Replace(":", "__", StringComparison.Ordinal)} or a command-line argument --{key}=…; "
                + "fix or remove it and start again (docs/dashboard.md lists the settings).";
        }
        return null;
    }

    private static string Expected(Type? type, string name) => (Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type) switch
    {
        { } t when t == typeof(int) || t == typeof(long) => "a whole number",
        { } t when t == typeof(double) => "a number (e.g. 2.5)",
        { } t when t == typeof(bool) => "true or false",
        { } t when t == typeof(TimeSpan) => "a duration (hh:mm:ss, e.g. 00:05:00)",
        { IsEnum: true } t => "one of " + string.Join(", ", Enum.GetNames(t)),
        _ => "a valid " + name,
    };

    [GeneratedRegex(@"at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex BinderMessage();
}
