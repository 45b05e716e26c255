using Batou.Engine.Api;

namespace Batou.Engine.Execution;

/// <summary>
/// What a component sees of the deployment it runs in: mode, event sink, and the two stages of a cancel.
/// <see cref="Token"/> is the request to stop: no further component starts. <see cref="Kill"/> follows when
/// the grace period ends (or somebody asks to stop now): commands and downloads that still run are stopped.
/// </summary>
internal sealed class DeploySession(bool predicting, Action<DeploymentEvent> emit, CancellationToken token, CancellationToken kill)
{
    public DeploySession(bool predicting, Action<DeploymentEvent> emit, CancellationToken token) : this(predicting, emit, token, token)
    {
    }

    public bool Predicting { get; } = predicting;
    public CancellationToken Token { get; } = token;
    public CancellationToken Kill { get; } = kill;

    public void Emit(DeploymentEvent e) => emit(e);

    private readonly List<string> _written = [];

    /// <summary>A file written without its own fsync (<see cref="Util.AtomicFile.WriteDeferred"/>).</summary>
    public void Written(string path)
    {
        lock (_written) _written.Add(path);
    }

    /// <summary>Puts the files written so far on disk (one syncfs per file system): called when a root's deployment ends.</summary>
    public void MakeDurable()
    {
        string[] files;
        lock (_written)
        {
            files = [.. _written];
            _written.Clear();
        }
        Util.DeferredSync.Flush(files);
    }

    /// <summary>
    /// The workdir the last component found in place (components of a root mostly share one): the next one
    /// with the same workdir needs no stat. Forgotten as soon as any component updates.
    /// </summary>
    public string? ExistingWorkdir { get; set; }
}
