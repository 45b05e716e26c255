using Batou.Engine.Api;

namespace Batou.Web.Engine;

/// <summary>
/// The settings of the dashboard's <c>batou engine</c> child processes (<c>Batou:Engine:…</c>, docs/engine-process.md).
/// The dashboard keeps <see cref="DefaultPoolSize"/> warm engine processes unless <c>Batou:Engine:PoolSize</c> says
/// otherwise (0 turns the pool off): a page at a new commit and a deployment then skip the process start and JIT
/// (about 1 s each), which is what a person clicking through the dashboard waits for. The engine's own default stays
/// 0: the pool is a dashboard's choice, not the API's.
/// </summary>
internal static class DashboardEngineOptions
{
    /// <summary>A page and a deployment at once; each waiting process holds about 60 MB.</summary>
    public const int DefaultPoolSize = 2;

    public static EngineProcessOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Batou:Engine");
        var options = section.Get<EngineProcessOptions>() ?? new();
        return section[nameof(EngineProcessOptions.PoolSize)] is null ? options with { PoolSize = DefaultPoolSize } : options;
    }
}
