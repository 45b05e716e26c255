namespace Batou.Engine.Api;

/// <summary>An environment as configured: for browsing, graphs and tests. Secret values are masked.</summary>
public sealed record EnvironmentOverview(
    string Environment,
    IReadOnlyList<HostOverview> Hosts,
    IReadOnlyList<RootOverview> Roots,
    IReadOnlyList<BatouError> Errors,
    IReadOnlyList<BatouError> Warnings);

public sealed record HostOverview(string Name, string Fqdn, string? Platform, bool Ignored, IReadOnlyDictionary<string, string> Data);

public sealed record RootOverview(
    string Host,
    string Component,
    bool Ignored,
    IReadOnlyList<string> DependsOn,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> Provides,
    IReadOnlyList<string> Requires,
    IReadOnlyList<string> SubComponents);
