using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Batou.Engine.Api;
using Batou.Engine.Planning;

namespace Batou.Engine.Execution;

/// <summary>
/// The schedule of <see cref="RunAsync"/> with one job, on the calling thread: the same checks at the same points
/// and the same events, without an async state machine per root (ReadyToRun cannot precompile the framework's
/// async code over our state machines, so every run JIT-compiled about 30 methods for them).
/// <para>
/// What <see cref="RunAsync"/> does with one slot, step by step: every root is created in dependency order and
/// "arrives" once its dependencies ended (skip checks, then it waits for the slot, first come first served); the
/// root holding the slot runs; when it ends the slot passes to the first waiting root, and then the roots that
/// depended on it arrive. A root whose dependency ended with an unexpected exception ends with that exception,
/// silently, and the run rethrows the first one in dependency order once every root ended.
/// </para>
/// </summary>
internal sealed partial class RootScheduler
{
    private readonly Queue<RootState> _waiting = new();
    private RootState? _holder;

    private sealed class RootState(RootComponent root, List<RootState> dependencies)
    {
        public RootComponent Root { get; } = root;
        public List<RootState> Dependencies { get; } = dependencies;
        public List<RootState> Dependants { get; } = [];
        public bool Arrived { get; set; }
        public bool Ended { get; set; }
        public bool Succeeded { get; set; }
        public Exception? Fault { get; set; }
    }

    private int RunSequentially()
    {
        var states = new List<RootState>(model.Order.Count);
        var byRoot = new Dictionary<RootComponent, RootState>();
        foreach (var root in model.Order)
        {
            var dependencies = new List<RootState>();
            foreach (var dependency in model.Graph!.DependenciesOf(root)) dependencies.Add(byRoot[dependency]);
            var state = new RootState(root, dependencies);
            foreach (var dependency in dependencies) dependency.Dependants.Add(state);
            byRoot[root] = state;
            states.Add(state);
            if (AllEnded(dependencies)) Arrive(state);
        }
        while (_holder is { } running)
        {
            var succeeded = Deploy(running.Root, out var fault);
            _holder = _waiting.Count > 0 ? _waiting.Dequeue() : null;   // the slot passes on before the dependants arrive
            End(running, succeeded, fault);
        }
        foreach (var state in states)
            if (state.Fault is { } first) ExceptionDispatchInfo.Throw(first);
        return _failures;
    }

    /// <summary>The dependencies of <paramref name="state"/> ended: skipped, not started, or waiting for the slot.</summary>
    private void Arrive(RootState state)
    {
        state.Arrived = true;
        var root = state.Root;
        var ready = true;
        foreach (var dependency in state.Dependencies)
        {
            if (dependency.Fault is { } fault)
            {
                End(state, false, fault);
                return;
            }
            ready &= dependency.Succeeded;
        }
        if (DeploymentRunner.IgnoreReason(root) is { } reason)
        {
            emit(new RootSkipped(root.Host.Name, root.Name, reason));
            End(state, true, null);
        }
        else if (selection is not null && !selection.Includes(root))
        {
            emit(new RootSkipped(root.Host.Name, root.Name, DeploymentRequest.NotSelected));
            End(state, true, null);
        }
        else if (!ready || Failed)
        {
            NotStarted(root);
            End(state, false, null);
        }
        else if (_holder is null) _holder = state;
        else _waiting.Enqueue(state);
    }

    private void End(RootState state, bool succeeded, Exception? fault)
    {
        state.Ended = true;
        state.Succeeded = succeeded;
        state.Fault = fault;
        foreach (var dependant in state.Dependants)
            if (!dependant.Arrived && AllEnded(dependant.Dependencies)) Arrive(dependant);
    }

    /// <summary>The root holding the slot: what <see cref="RunRootAsync"/> does once it has the slot.</summary>
    private bool Deploy(RootComponent root, out Exception? fault)
    {
        fault = null;
        try
        {
            if (!MayStart(root)) return false;
            var watch = Stopwatch.StartNew();
            var session = new DeploySession(predicting, emit, token, kill);
            var host = hosts[root.Host.Name];
            if (host is LocalHostExecutor) LocalHostExecutor.DeployRoot(root, session);
            else host.DeployRootAsync(root, session).GetAwaiter().GetResult();
            emit(new RootFinished(root.Host.Name, root.Name, root.RemoteChanged ?? root.Instance!.Changed, watch.Elapsed));
            return true;
        }
        catch (ComponentFailure failure)
        {
            return Failing(root, failure.Error, ref fault);
        }
        catch (OperationCanceledException)
        {
            return Failing(root, BatouError.Create("Cancelled", "Deployment cancelled", ("Host", root.Host.Name), ("Component", root.Name)), ref fault);
        }
        catch (Exception e)
        {
            fault = e;   // a bug: the asynchronous schedule's task would fault
            return false;
        }
    }

    private bool Failing(RootComponent root, BatouError error, ref Exception? fault)
    {
        try { Fail(root, error); }
        catch (Exception e) { fault = e; }
        return false;
    }

    private static bool AllEnded(List<RootState> states)
    {
        foreach (var state in states)
            if (!state.Ended) return false;
        return true;
    }
}
