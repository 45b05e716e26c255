using Batou.Engine.Api;

namespace Batou.Engine.Secrets;

/// <summary>Builds the errors of the secrets subsystem; none of them ever carries a secret value.</summary>
internal static class SecretsErrors
{
    public static BatouException Fail(string kind, string message, params (string Label, string Value)[] details) =>
        new(BatouError.Create(kind, message, details));

    public static BatouException Fail(string kind, string message, string file, params (string Label, string Value)[] details) =>
        new(BatouError.Create(kind, message, [("File", file), .. details]) with { File = file });

    /// <summary>The last lines of a tool's stderr, trimmed: enough to tell what went wrong.</summary>
    public static string ToolMessage(string stderr)
    {
        var lines = stderr.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no message)" : string.Join(" / ", lines.TakeLast(3));
    }
}
