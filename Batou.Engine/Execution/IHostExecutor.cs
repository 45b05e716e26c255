using Batou.Engine.Planning;

namespace Batou.Engine.Execution;

/// <summary>
/// Where a root component's Verify/Update run. Local: in this process. Remote (ssh): the agent on
/// the target runs the same code and streams the same events back.
/// </summary>
internal interface IHostExecutor
{
    Task DeployRootAsync(RootComponent root, DeploySession session);
}

internal sealed class LocalHostExecutor : IHostExecutor
{
    public Task DeployRootAsync(RootComponent root, DeploySession session) => Task.Run(() => DeployRoot(root, session));

    /// <summary>On the calling thread: the one-job schedule waits for each root anyway (no thread-pool hop per root).</summary>
    public static void DeployRoot(RootComponent root, DeploySession session)
    {
        root.Session = session;
        try
        {
            root.Instance!.DeployTree(session);
        }
        finally
        {
            session.MakeDurable();
            root.Session = null;
        }
    }
}
