namespace Batou.Engine.Api;

/// <summary>An environment as configured: for browsing, graphs and tests. Secret values are masked.</summary>
public sealed record EnvironmentOverview(
    string Environment,
    IReadOnlyList<HostOverview> Hosts,
    IReadOnlyList<RootOverview> Roots,
    IReadOnlyList<BatouError> Errors,
    IReadOnlyList<BatouError> Warnings)
{
    /// <summary>
    /// A hash of the resolved configuration (hosts, roots, settings after overrides, the dependency
    /// order, every secret value as a salted hash): equal fingerprints mean the same configuration.
    /// Null when the environment has errors. Comparable only between descriptions made with the same salt.
    /// </summary>
    public string? Fingerprint { get; init; }
}

/// <param name="SecretDigests">For each masked value of <paramref name="Data"/>: a salted hash of it, to tell changed from unchanged.</param>
public sealed record HostOverview(string Name, string Fqdn, string? Platform, bool Ignored, IReadOnlyDictionary<string, string> Data)
{
    public IReadOnlyDictionary<string, string> SecretDigests { get; init; } = new Dictionary<string, string>();
}

public sealed record RootOverview(
    string Host,
    string Component,
    bool Ignored,
    IReadOnlyList<string> DependsOn,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> Provides,
    IReadOnlyList<string> Requires,
    IReadOnlyList<string> SubComponents)
{
    /// <summary>For each masked setting: a salted hash of its value, to tell changed from unchanged.</summary>
    public IReadOnlyDictionary<string, string> SecretDigests { get; init; } = new Dictionary<string, string>();
}
