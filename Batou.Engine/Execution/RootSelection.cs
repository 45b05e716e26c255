using Batou.Engine.Api;
using Batou.Engine.Planning;

namespace Batou.Engine.Execution;

/// <summary>
/// The roots a request selected (<see cref="DeploymentRequest.Only"/>): <c>component@host</c> names one root, a bare
/// host name every root of that host. Names are compared without regard to case, as host names are.
/// </summary>
internal sealed class RootSelection
{
    private readonly HashSet<string> _roots = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);

    private RootSelection() { }

    /// <summary>Null when everything is selected; throws a <see cref="BatouException"/> naming every unknown entry.</summary>
    public static RootSelection? Resolve(ComponentModel model, IReadOnlyList<string>? only, string environment)
    {
        if (only is null || only.Count == 0) return null;
        var selection = new RootSelection();
        var errors = new List<BatouError>();
        foreach (var raw in only)
        {
            var entry = raw.Trim();
            var at = entry.LastIndexOf('@');
            if (at < 0)
            {
                if (model.Environment.Hosts.Any(h => Same(h.Name, entry))) selection._hosts.Add(entry);
                else errors.Add(Unknown("Unknown host in the selection", entry, environment,
                    ("Hosts", string.Join(", ", model.Environment.Hosts.Select(h => h.Name)))));
                continue;
            }
            var (component, host) = (entry[..at], entry[(at + 1)..]);
            if (model.Roots.Any(r => Same(r.Name, component) && Same(r.Host.Name, host))) selection._roots.Add($"{component}@{host}");
            else errors.Add(Unknown("Unknown root in the selection", entry, environment,
                ("Roots", string.Join(", ", model.Roots.Select(r => $"{r.Name}@{r.Host.Name}")))));
        }
        if (errors.Count > 0) throw new BatouException(errors);
        return selection;
    }

    public bool Includes(RootComponent root) => _hosts.Contains(root.Host.Name) || _roots.Contains($"{root.Name}@{root.Host.Name}");

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static BatouError Unknown(string message, string entry, string environment, (string, string) known) =>
        BatouError.Create("UnknownSelection", message, ("Selected", entry.Length == 0 ? "(empty)" : entry), ("Environment", environment), known);
}
