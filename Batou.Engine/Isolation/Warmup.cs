using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// What a pooled <c>batou engine</c> does while it waits for its request: describe and predict a
/// two-file repository of batou's own (written to a temporary directory, removed after), so the
/// runtime has compiled the hot paths (configuration parser, component loader and compile cache,
/// configure, planning, the JSON of overviews and events) before the request comes. No repository
/// code is loaded: the warm-up component is fixed text of batou's. Best effort: a warm-up that fails
/// changes nothing for the request.
/// </summary>
internal static class Warmup
{
    private const string Component = """
        public sealed class Warmup : Component
        {
            public int Port { get; set; } = 8080;
            public string Name { get; set; } = "warmup";
            protected override void Configure() => Add(new File("warmup.conf") { Content = $"{Name} {Port}\n" });
        }
        """;

    private const string Environment = """
        [environment]
        connect_method = local
        timeout = 60s

        [hosts]
        localhost = warmup

        [component:warmup]
        port = 8081
        """;

    public static async Task RunAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"batou-warmup-{System.Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "components", "warmup"));
            Directory.CreateDirectory(Path.Combine(root, "environments", "warmup"));
            await File.WriteAllTextAsync(Path.Combine(root, "components", "warmup", "component.cs"), Component).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(root, "environments", "warmup", "environment.cfg"), Environment).ConfigureAwait(false);
            var overview = BatouEngine.Describe(root, "warmup");
            _ = EngineJson.Write(new OverviewResult(overview));
            await foreach (var e in BatouEngine.RunAsync(new DeploymentRequest(root, "warmup") { Mode = DeploymentMode.Predict, Jobs = 1, Dirty = true }).ConfigureAwait(false))
                _ = EngineJson.Write(new EngineEvent(e));
            _ = EngineJson.Read(EngineJson.Write(new RunCall(new DeploymentRequest(root, "warmup"), 60)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // best effort
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
