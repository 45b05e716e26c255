using Batou.Engine.Api;


namespace Batou.Engine.Remote;

/// <summary>
/// Settings that end up on an ssh command line or in a remote shell: service users, the host
/// address, the branch and the pull URL. They are quoted wherever they are used; this check
/// additionally refuses values that could only be mistakes or attacks (option-like, shell syntax).
/// </summary>
internal static class RemoteSettingsCheck
{
    public static List<BatouError> Errors(DeploymentEnvironment environment)
    {
        var errors = new List<BatouError>();
        var settings = environment.Settings;
        var file = $"environments/{environment.Name}/environment.cfg";
        foreach (var host in environment.Hosts.Where(h => !h.Ignore))
        {
            if (!IsHostAddress(host.Fqdn))
                errors.Add(Invalid("host_domain", host.Fqdn, "letters, digits, '.', '-', '_'; not starting with '-'", file) with { Host = host.Name });
            if (host.ServiceUser is { } user && !IsUserName(user))
                errors.Add(Invalid("service_user", user, "a user name: letters, digits, '_', '.', '-'; not starting with '-' or a digit", file) with { Host = host.Name });
        }
        if (settings.UpdateMethod is "git-bundle" or "git-pull" && !IsBranchName(settings.Branch))
            errors.Add(Invalid("branch", settings.Branch, "a git branch name: letters, digits, '.', '_', '-', '/'; not starting with '-'", file));
        if (settings.UpdateMethod == "git-pull" && settings.RepositoryUrl is { } url && !IsUrl(url))
            errors.Add(Invalid("repository_url", url, "a git URL or path, not starting with '-', without control characters", file));
        return errors;
    }

    public static bool IsUserName(string user) =>
        user.Length is > 0 and <= 32 && (char.IsAsciiLetter(user[0]) || user[0] == '_')
        && user.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public static bool IsHostAddress(string address) =>
        address.Length > 0 && !address.StartsWith('-') && address.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>A conservative subset of git's ref name rules (no shell or revision syntax at all).</summary>
    public static bool IsBranchName(string branch) =>
        branch.Length > 0 && !branch.StartsWith('-') && !branch.StartsWith('/') && !branch.EndsWith('/') && !branch.EndsWith(".lock", StringComparison.Ordinal)
        && !branch.Contains("..", StringComparison.Ordinal) && !branch.Contains("//", StringComparison.Ordinal) && !branch.Contains("/.", StringComparison.Ordinal)
        && !branch.StartsWith('.') && branch.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/');

    public static bool IsUrl(string url) => url.Length > 0 && !url.StartsWith('-') && !url.Any(char.IsControl);

    private static BatouError Invalid(string setting, string value, string allowed, string file) =>
        BatouError.Create("InvalidSetting", $"Invalid value for `{setting}`", ("Setting", setting), ("Value", value), ("Allowed", allowed), ("File", file))
            with { File = file };
}
