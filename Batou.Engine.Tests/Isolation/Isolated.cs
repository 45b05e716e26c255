using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary>The built <c>batou</c> next to the tests, as the engine process, and helpers to look at processes.</summary>
internal static class Isolated
{
    public static string Batou { get; } = Path.Combine(AppContext.BaseDirectory, "batou");

    public static EngineProcess Engine(EngineProcessOptions? options = null) =>
        new((options ?? new EngineProcessOptions()) with { Executable = Batou });

    public static async Task<DeploymentResult> RunToEndAsync(this EngineProcess engine, DeploymentRequest request, CancellationToken token = default)
    {
        var events = new List<DeploymentEvent>();
        await foreach (var e in engine.RunAsync(request, token))
            events.Add(e);
        return new DeploymentResult(events);
    }

    /// <summary>True while <paramref name="pid"/> runs (a zombie nobody reaped counts as ended).</summary>
    public static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits up to <paramref name="seconds"/> for a file a component writes (e.g. a pid).</summary>
    public static string WaitForFile(string path, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (File.Exists(path) && File.ReadAllText(path).EndsWith('\n')) return File.ReadAllText(path).Trim();
            Thread.Sleep(50);
        }
        throw new TimeoutException("no " + path);
    }
}
