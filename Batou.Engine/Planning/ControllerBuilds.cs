using Batou.Engine.Api;

namespace Batou.Engine.Planning;

/// <summary>
/// Something a component needs built on the controller (e.g. <c>dotnet publish</c>), declared while
/// configuring. <see cref="Output"/> is a directory under <c>work/.batou-build/</c> named by a hash of
/// the build's inputs: when it exists the build is not run again, and it travels to the hosts with
/// the repository. <see cref="Build"/> writes into the directory it is given (renamed into place
/// when complete) and throws <see cref="BatouException"/> with the build's own errors.
/// </summary>
internal sealed record ControllerBuild(string Output, string Description, Action<string, CancellationToken> Build);

/// <summary>The model's controller builds, deduplicated by output; run once per deployment, before any host is touched.</summary>
internal sealed class ControllerBuilds
{
    /// <summary>Where builds live, relative to the repository root (transferred with it, see docs/remote.md).</summary>
    public const string Folder = "work/.batou-build";

    private readonly Dictionary<string, ControllerBuild> _builds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Configure may run more than once: declaring the same output again is a no-op.</summary>
    public void Declare(ControllerBuild build)
    {
        lock (_lock) _builds.TryAdd(build.Output, build);
    }

    /// <summary>Runs the builds whose output is missing; old outputs beside a fresh one are removed.</summary>
    public void Run(Action<DeploymentEvent> emit, CancellationToken token)
    {
        List<ControllerBuild> pending;
        lock (_lock) pending = _builds.Values.Where(b => !Directory.Exists(b.Output)).OrderBy(b => b.Output, StringComparer.Ordinal).ToList();
        if (pending.Count == 0) return;
        emit(new StepStarted(Phase.Connect, "build", "Building on the controller ..."));
        foreach (var build in pending)
        {
            token.ThrowIfCancellationRequested();
            emit(new StepStarted(Phase.Connect, "build", $"Building {build.Description} ..."));
            var parent = Path.GetDirectoryName(build.Output)!;
            Directory.CreateDirectory(parent);
            var staging = Path.Combine(parent, $".staging-{Guid.NewGuid():N}");
            try
            {
                build.Build(staging, token);
                Directory.Move(staging, build.Output);
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            foreach (var old in Directory.EnumerateDirectories(parent).Where(d => d != build.Output && !_builds.ContainsKey(d)).ToList())
                Directory.Delete(old, recursive: true);
        }
    }
}
