using Batou.Engine.Api;
using Batou.Engine.Templates;

namespace Batou.Engine.Planning;

/// <summary>
/// Configures every root until resources stop changing (batou's convergence loop), then orders
/// the roots by their resource dependencies. All errors of the last round are collected.
/// </summary>
internal static class ModelConfigurator
{
    public sealed record Result(IReadOnlyList<BatouError> Errors, IReadOnlyList<BatouError> Warnings, IReadOnlyList<ConfigureLogLine> Logs);

    public static Result Configure(ComponentModel model)
    {
        var tracker = ConfigureTracker.Begin();
        try
        {
            return Run(model, tracker);
        }
        finally
        {
            ConfigureTracker.End();
        }
    }

    private static Result Run(ComponentModel model, ConfigureTracker tracker)
    {
        var workingSet = model.Roots.ToList();
        var seen = new List<HashSet<RootComponent>>();
        var errors = new List<BatouError>();
        var converged = true;
        while (true)
        {
            errors.Clear();
            var retry = new HashSet<RootComponent>();
            foreach (var root in workingSet.OrderBy(r => r.Index))
            {
                model.Resources.Reset(root);
                tracker.StartRoot(root);
                Isolation.EngineActivity.Configuring(root.Host.Name, root.Name);
                try
                {
                    using (Address.Use(model.Environment))
                        root.Prepare();
                }
                catch (SilentConfigurationError)
                {
                    retry.Add(root);
                }
                catch (Exception e)
                {
                    errors.AddRange(Describe(root, e));
                    retry.Add(root);
                }
            }
            retry.UnionWith(model.Resources.TakeDirty());
            retry.UnionWith(model.Resources.UnsatisfiedRoots);

            model.Graph = new DependencyGraph(model.Roots, model.Resources.Dependencies());
            var (order, cycle) = model.Graph.Sort();
            model.Order = order;
            if (cycle is not null)
                errors.Add(CycleError(cycle));

            if (retry.Count == 0)
                break;
            if (seen.Any(s => s.SetEquals(retry)))
            {
                converged = false;
                errors.Add(BatouError.Create("NonConvergingWorkingSet",
                        $"{retry.Count} remaining unconfigured component(s): {string.Join(", ", retry.OrderBy(r => r.Index).Select(r => r.Id))}")
                    with { SortKey = 100 });
                break;
            }
            seen.Add(retry);
            workingSet = retry.ToList();
        }

        if (!converged)
        {
            // the requirements as the last round left them, with the places the second pass found
            var unsatisfied = model.Resources.Unsatisfied.ToList();
            ConfigureAgainForLocations(model, tracker, unsatisfied.Select(s => s.Root));
            var places = model.Resources.Unsatisfied.Where(s => s.Location is not null)
                .ToLookup(s => (s.Root, s.Key, s.Host), s => s.Location);
            errors.AddRange(UnsatisfiedErrors(unsatisfied.Select(s => s with { Location = s.Location ?? places[(s.Root, s.Key, s.Host)].FirstOrDefault() })));
        }
        else if (errors.Count == 0)
        {
            ConfigureAgainForLocations(model, tracker, model.Resources.Unused().ConvertAll(u => u.Root).Concat(tracker.RootsWithUnused()));
            errors.AddRange(UnusedErrors(model));
        }
        // A failed Configure leaves half-built components behind: only warn about unused ones when all went well.
        var warnings = Warnings(model, tracker).Where(w => errors.Count == 0 || w.Kind != "UnusedComponentsInitialized").ToList();
        var logs = new List<ConfigureLogLine>();
        foreach (var root in model.Order)
            foreach (var text in root.ConfigureLogs)
                logs.Add(new ConfigureLogLine(root.Id, text));
        return new Result(Merge(errors), warnings, logs);
    }

    /// <summary>
    /// Configures <paramref name="roots"/> once more, now recording where components were created and
    /// resources provided or required: capturing that for every component costs a stack walk with a
    /// line lookup each, so only the few roots an error or a warning is about pay it. Configure is
    /// repeatable (the convergence loop relies on it), so the model ends up the same; the order is
    /// computed again in case it did not.
    /// </summary>
    private static void ConfigureAgainForLocations(ComponentModel model, ConfigureTracker tracker, IEnumerable<RootComponent> roots)
    {
        var again = roots.Distinct().OrderBy(r => r.Index).ToList();
        if (again.Count == 0) return;
        tracker.CaptureLocations = true;
        foreach (var root in again)
        {
            model.Resources.Reset(root);
            tracker.StartRoot(root);
            try
            {
                using (Address.Use(model.Environment))
                    root.Prepare();
            }
            catch (Exception)
            {
                // its errors are already collected: this pass is only about locations
            }
        }
        model.Resources.TakeDirty();
        model.Graph = new DependencyGraph(model.Roots, model.Resources.Dependencies());
        model.Order = model.Graph.Sort().Order;
    }

    private static IEnumerable<BatouError> Describe(RootComponent root, Exception e)
    {
        // a component's constructor, static constructor or setting setter threw: report what it threw
        while (e is System.Reflection.TargetInvocationException or TypeInitializationException && e.InnerException is { } inner) e = inner;
        switch (e)
        {
            case BatouException b:
                foreach (var error in b.Errors) yield return error with { Host = root.Host.Name };
                break;
            case ConfigurationError c:
            {
                var where = SourceFrame.Of(c, root.Environment.BaseDir);
                var error = where is null
                    ? BatouError.Create("ConfigurationError", $"{root.Name}: {c.Message}")
                    : BatouError.Create("ConfigurationError", $"{root.Name}: {c.Message}", ("Location", where.ToString()));
                yield return error with { Host = root.Host.Name, Component = root.Name, File = where?.File, Line = where?.Line, SortKey = 0 };
                break;
            }
            case TemplateException t:
                yield return t.Error with { Host = root.Host.Name, Component = root.Name };
                break;
            default:
            {
                var details = new List<(string, string)> { ("Component", root.Name), ("Exception", Util.ExceptionText.Describe(e)) };
                var where = SourceFrame.Of(e, root.Environment.BaseDir);
                if (where is not null) details.Add(("Location", where.ToString()));
                yield return BatouError.Create("UnknownComponentConfigurationError", "Error while configuring component", details.ToArray())
                    with { Host = root.Host.Name, Component = root.Name, File = where?.File, Line = where?.Line, SortKey = 4 };
                break;
            }
        }
    }

    private static BatouError CycleError(IReadOnlyList<RootComponent> cycle)
    {
        var lines = new List<string>();
        for (var i = 0; i < cycle.Count; i++)
        {
            lines.Add($"{cycle[i].Id} depends on");
            lines.Add($"        {cycle[(i + 1) % cycle.Count].Id}");
        }
        return new BatouError("CycleErrorDetected", "Found dependency cycle", [])
        {
            Body = string.Join('\n', lines),
            SortKey = 99,
            Host = string.Join(", ", cycle.Select(r => r.Host.Name).Distinct()),
            Component = string.Join(", ", cycle.Select(r => r.Name).Distinct()),
        };
    }

    private static IEnumerable<BatouError> UnsatisfiedErrors(IEnumerable<Subscription> subscriptions)
    {
        var unsatisfied = subscriptions.OrderBy(s => s.Root.Index).ToList();
        var lines = unsatisfied
            .Select(s => $"    Resource \"{s.Key}\" required by {s.Root.Id}" + (s.Host is null ? "" : $" for host {s.Host.Name}")
                         + (s.Location is null ? "" : $" ({s.Location.File}:{s.Location.Line})"))
            .Distinct()
            .ToList();
        if (lines.Count > 0)
        {
            var first = unsatisfied.FirstOrDefault(s => s.Location is not null)?.Location;
            yield return new BatouError("UnsatisfiedResources", "Unsatisfied resource requirements", [])
            {
                Body = string.Join('\n', lines),
                SortKey = 6,
                Host = string.Join(", ", unsatisfied.Select(s => s.Root.Host.Name).Distinct()),
                Component = string.Join(", ", unsatisfied.Select(s => s.Root.Name).Distinct()),
                File = first?.File,
                Line = first?.Line,
            };
        }
    }

    private static IEnumerable<BatouError> UnusedErrors(ComponentModel model)
    {
        var unused = model.Resources.Unused();
        if (unused.Count > 1) unused = unused.OrderBy(u => u.Root.Index).ToList();   // stable: a root's keys keep their order
        var lines = unused
            .Select(u => $"    Resource \"{u.Key}\" provided by {u.Root.Id} with value [{string.Join(", ", u.Values.Select(v => $"'{v}'"))}]"
                         + (model.Resources.ProvidedAt(u.Key, u.Root) is { } at ? $" ({at.File}:{at.Line})" : ""))
            .ToList();
        if (lines.Count > 0)
        {
            var first = unused.Select(u => model.Resources.ProvidedAt(u.Key, u.Root)).FirstOrDefault(l => l is not null);
            yield return new BatouError("UnusedResources", "Unused provided resources", [])
            {
                Body = string.Join('\n', lines),
                SortKey = 5,
                Host = string.Join(", ", unused.Select(u => u.Root.Host.Name).Distinct()),
                Component = string.Join(", ", unused.Select(u => u.Root.Name).Distinct()),
                File = first?.File,
                Line = first?.Line,
            };
        }
    }

    private static IEnumerable<BatouError> Warnings(ComponentModel model, ConfigureTracker tracker)
    {
        foreach (var (component, root, createdBy, where) in tracker.Unused())
        {
            var details = new List<(string, string)> { ("Component", component.GetType().Name), ("Root", root.Id), ("Created in", createdBy ?? root.Id) };
            if (where is not null) details.Add(("Location", where.ToString()));
            details.Add(("Hint", "add it with Add(...) in Configure()"));
            yield return BatouError.Create("UnusedComponentsInitialized", "A component was created but never added to the model", details.ToArray())
                with { Host = root.Host.Name, Component = component.GetType().Name, File = where?.File, Line = where?.Line, SortKey = 5 };
        }
        var reported = new HashSet<Type>();
        foreach (var root in model.Roots)
            foreach (var component in root.Instance?.PostOrder() ?? [])
                if (reported.Add(component.GetType()) && component.UpdatesWithoutVerify())
                {
                    var file = DeclaredIn(component.GetType());
                    var details = new List<(string, string)> { ("Component", component.GetType().Name), ("Root", root.Id) };
                    if (file is not null) details.Add(("File", file));
                    yield return BatouError.Create("ComponentWithUpdateWithoutVerify", "Component overrides Update() but not Verify(): Update() will never run",
                            details.ToArray())
                        with { Host = root.Host.Name, Component = component.GetType().Name, File = file, SortKey = 5 };
                }
    }

    /// <summary>The component source file a type was declared in (recorded by the compiler), if it is a repository component.</summary>
    private static string? DeclaredIn(Type type)
    {
        var name = type.FullName;
        return Loading.ComponentSource.Of(type.Assembly).FirstOrDefault(a => a.TypeName == name)?.File;
    }

    /// <summary>Identical errors from several hosts become one, sorted by batou's sort keys.</summary>
    private static IReadOnlyList<BatouError> Merge(IEnumerable<BatouError> errors) =>
        errors
            .GroupBy(e => e.Kind + "\n" + e)
            .Select(g => g.First() with { Host = string.Join(", ", g.Select(e => e.Host).Where(h => h is not null).Distinct()) is { Length: > 0 } hosts ? hosts : null })
            .OrderBy(e => e.SortKey)
            .ThenBy(e => e.Message, StringComparer.Ordinal)
            .ToList();
}
