using Microsoft.Extensions.Options;

namespace Batou.Web.Infrastructure;

/// <summary>The <c>Batou</c> section of appsettings.json.</summary>
public sealed class BatouWebOptions
{
    /// <summary>Database, clones and checkouts; relative to the working directory.</summary>
    public string DataDirectory { get; set; } = ".batou-web";
    public double FetchIntervalMinutes { get; set; } = 5;
    /// <summary>Sign-in attempts one client address may make per minute before the form answers 429.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;
    public List<RepositoryOption> Repositories { get; set; } = [];
    public DeploymentOptions Deployments { get; set; } = new();
    /// <summary>User names that may open /hangfire besides the first account (docs/dashboard.md).</summary>
    public List<string> Admins { get; set; } = [];

    public string DataPath => Path.GetFullPath(DataDirectory);
}

/// <summary><c>Batou:Deployments</c>: how deployments are claimed, kept and run.</summary>
public sealed class DeploymentOptions
{
    /// <summary>How long a claim holds without a heartbeat; a deployment whose lease ran out is interrupted.</summary>
    public double LeaseSeconds { get; set; } = 60;
    /// <summary>How often the running process renews its leases, looks for cancel requests and for expired leases.</summary>
    public double HeartbeatSeconds { get; set; } = 5;
    /// <summary>Hangfire workers of this process: how many environments deploy at once here.</summary>
    public int Workers { get; set; } = 8;
}

public sealed class RepositoryOption
{
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    /// <summary>For ssh URLs: the private key to fetch with (else the dashboard user's ssh defaults).</summary>
    public string? SshKey { get; set; }
    /// <summary>For ssh URLs: the known_hosts file the server's key must be in (else the user's; unknown keys always fail).</summary>
    public string? KnownHosts { get; set; }
    /// <summary>The ssh client of its deployments: default (builtin), openssh or builtin (environment.cfg's ssh_client still wins).</summary>
    public string? SshClient { get; set; }
}

internal sealed class ValidateBatouWebOptions : IValidateOptions<BatouWebOptions>
{
    public ValidateOptionsResult Validate(string? name, BatouWebOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory)) failures.Add("Batou:DataDirectory must not be empty.");
        if (options.FetchIntervalMinutes <= 0) failures.Add("Batou:FetchIntervalMinutes must be positive.");
        if (options.Deployments.HeartbeatSeconds <= 0) failures.Add("Batou:Deployments:HeartbeatSeconds must be positive.");
        if (options.Deployments.LeaseSeconds < 2 * options.Deployments.HeartbeatSeconds)
            failures.Add("Batou:Deployments:LeaseSeconds must be at least twice Batou:Deployments:HeartbeatSeconds.");
        if (options.Deployments.Workers is < 1 or > 100) failures.Add("Batou:Deployments:Workers must be between 1 and 100.");
        foreach (var r in options.Repositories.Where(r => !RepositoryNames.IsValid(r.Name) || string.IsNullOrWhiteSpace(r.Url)))
            failures.Add($"Batou:Repositories: '{r.Name}' needs a name of letters, digits, '-', '_' or '.' and a Url.");
        foreach (var r in options.Repositories.Where(r => !Ssh.SshClients.TryParse(r.SshClient, out _)))
            failures.Add($"Batou:Repositories: '{r.Name}' has SshClient '{r.SshClient}'; expected default, openssh or builtin.");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}

internal static class RepositoryNames
{
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 100 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
