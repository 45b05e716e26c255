using System.Diagnostics;
using System.Reflection;
using Batou.Engine.Api;
using Batou.Engine.Execution;

namespace Batou;

public abstract partial class Component
{
    private static readonly TimeSpan SlowStep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SlowTotal = TimeSpan.FromSeconds(10);

    /// <summary>Deploys sub-components, then verifies and (unless predicting) updates this one.</summary>
    internal void DeployTree(DeploySession session)
    {
        session.Token.ThrowIfCancellationRequested();
        var total = Stopwatch.StartNew();
        Changed = false;
        TimeSpan? subTime = null;
        if (_subComponents.Count > 0)
        {
            var sub = Stopwatch.StartNew();
            foreach (var component in _subComponents)
            {
                component.DeployTree(session);
                if (component.Changed) Changed = true;
            }
            subTime = sub.Elapsed;
        }

        if (!session.Predicting)   // predicting writes nothing
        {
            // a stat first: mkdir of the existing workdir fails (three times per File on a no-op); and no stat
            // at all when the component before found the same workdir and nothing updated since
            var workdir = Workdir;
            if (!string.Equals(workdir, session.ExistingWorkdir, StringComparison.Ordinal))
            {
                if (!System.IO.Directory.Exists(workdir)) System.IO.Directory.CreateDirectory(workdir);
                session.ExistingWorkdir = workdir;
            }
        }
        var verify = Stopwatch.StartNew();
        string? reason = null;
        try
        {
            using var activity = ComponentActivity.Enter(this, "verify");
            Verify();
        }
        catch (UpdateNeeded needed)
        {
            reason = needed.Message;
        }
        catch (Exception e) when (e is not ComponentFailure and not OperationCanceledException)
        {
            throw ComponentFailure.From(this, "verify", e);
        }
        var verifyTime = verify.Elapsed;

        TimeSpan? updateTime = null;
        if (reason is not null)
        {
            session.ExistingWorkdir = null;   // handlers and the update may change anything
            session.Emit(new ComponentNeedsUpdate(Host.Name, Breadcrumbs, reason, session.Predicting));
            TriggerBeforeUpdate(session);
            if (!session.Predicting)
            {
                var update = Stopwatch.StartNew();
                try
                {
                    using var activity = ComponentActivity.Enter(this, "update");
                    Update();
                }
                catch (Exception e) when (e is not ComponentFailure and not OperationCanceledException)
                {
                    throw ComponentFailure.From(this, "update", e);
                }
                updateTime = update.Elapsed;
                session.Emit(new ComponentUpdated(Host.Name, Breadcrumbs, updateTime.Value));
            }
            Changed = true;
        }

        var elapsed = total.Elapsed;
        if (verifyTime > SlowStep || updateTime > SlowStep || elapsed > SlowTotal)
            session.Emit(new SlowComponent(Host.Name, Breadcrumbs, new ComponentTimings(elapsed, verifyTime, updateTime, subTime)));
    }

    /// <summary>All components of this tree in deployment order (sub-components first).</summary>
    internal IEnumerable<Component> PostOrder()
    {
        foreach (var sub in _subComponents)
            foreach (var c in sub.PostOrder())
                yield return c;
        yield return this;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (MethodInfo Method, string Event, string Scope)[]> s_handlers = new();

    private void TriggerBeforeUpdate(DeploySession session)
    {
        var index = RootOrThrow.EventIndex ??= Engine.Planning.EventIndex.Build(RootOrThrow.Instance!);
        if (index.Handlers.Count == 0) return;
        var position = index.Positions[this];
        foreach (var (owner, ownerPosition, method, eventName, scope) in index.Handlers)
        {
            if (eventName != "before-update" || (scope == "precursor" && ownerPosition <= position)) continue;
            if (session.Predicting)
            {
                session.Emit(new EventTriggered(Host.Name, "before-update", $"{owner.Breadcrumb}.{method.Name}"));
                continue;
            }
            try
            {
                method.Invoke(owner, method.GetParameters().Length == 1 ? [this] : []);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw ComponentFailure.From(owner, "before-update handler " + method.Name, e.InnerException);
            }
        }
    }

    /// <summary>The event handlers a type declares, found once per type.</summary>
    internal static (MethodInfo Method, string Event, string Scope)[] HandlersOf(Type type) =>
        s_handlers.GetOrAdd(type, t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .SelectMany(m => m.GetCustomAttributes<HandleEventAttribute>().Select(a => (m, a.EventName, a.Scope)))
            .ToArray());

    /// <summary>Whether this type overrides Update but not Verify (Update could never run).</summary>
    internal bool UpdatesWithoutVerify()
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.NonPublic;
        var update = GetType().GetMethod(nameof(Update), flags, Type.EmptyTypes);
        var verify = GetType().GetMethod(nameof(Verify), flags, Type.EmptyTypes);
        return update?.DeclaringType != typeof(Component) && verify?.DeclaringType == typeof(Component);
    }
}
