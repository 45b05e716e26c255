using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests;

/// <summary>Shortcuts over a deployment's events used by the scenario tests.</summary>
internal static class ScenarioExtensions
{
    /// <summary>Configure-time <c>Log()</c> lines in the order they were reported.</summary>
    public static IReadOnlyList<string> ConfigureLogs(this DeploymentResult result) =>
        result.Of<ConfigureLog>().Select(l => l.Text).ToList();

    /// <summary>Deploy-time <c>Log()</c> lines in the order they were reported.</summary>
    public static IReadOnlyList<string> DeployLogs(this DeploymentResult result) =>
        result.Of<LogLine>().Select(l => l.Text).ToList();

    public static IReadOnlyList<string> Kinds(this DeploymentResult result) =>
        result.Errors.Select(e => e.Kind).ToList();

    public static string? Detail(this BatouError error, string label) =>
        error.Details.FirstOrDefault(d => d.Label == label)?.Value;

    public static RootSummary Root(this DeploymentResult result, string host, string component) =>
        result.Of<ModelConfigured>().Single().Roots.Single(r => r.Host == host && r.Component == component);
}
