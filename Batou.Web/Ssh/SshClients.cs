namespace Batou.Web.Ssh;

/// <summary>The values of a repository's <c>ssh_client</c> setting in the dashboard.</summary>
public static class SshClients
{
    /// <summary>Stored as null: whatever the environment says, else builtin.</summary>
    public const string Default = "default";
    public const string OpenSsh = "openssh";
    public const string Builtin = "builtin";

    public static IReadOnlyList<string> All { get; } = [Default, OpenSsh, Builtin];

    /// <summary>The stored value for a form or configuration value; false for anything else.</summary>
    public static bool TryParse(string? value, out string? stored)
    {
        stored = null;
        var v = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(v) || v == Default) return true;
        if (v is not (OpenSsh or Builtin)) return false;
        stored = v;
        return true;
    }
}
