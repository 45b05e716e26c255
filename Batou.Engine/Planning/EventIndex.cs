using System.Reflection;

namespace Batou.Engine.Planning;

/// <summary>
/// The event handlers of one configured root and every component's deployment position,
/// built once per deployment (the model does not change while it deploys).
/// </summary>
internal sealed class EventIndex
{
    private EventIndex(IReadOnlyList<(Component, int, MethodInfo, string, string)> handlers, IReadOnlyDictionary<Component, int> positions)
    {
        Handlers = handlers;
        Positions = positions;
    }

    public IReadOnlyList<(Component Owner, int Position, MethodInfo Method, string Event, string Scope)> Handlers { get; }

    public IReadOnlyDictionary<Component, int> Positions { get; }

    public static EventIndex Build(Component root)
    {
        var handlers = new List<(Component, int, MethodInfo, string, string)>();
        var positions = new Dictionary<Component, int>(ReferenceEqualityComparer.Instance);
        var i = 0;
        foreach (var component in root.PostOrder())
        {
            positions[component] = i;
            foreach (var (method, eventName, scope) in Component.HandlersOf(component.GetType()))
                handlers.Add((component, i, method, eventName, scope));
            i++;
        }
        return new EventIndex(handlers, positions);
    }
}
