using Batou.Web.Data;

namespace Batou.Web.Governance.Webhooks;

/// <summary>A database context for a singleton (the notifier, the dispatcher): one scope per unit of work, as RepositoryCatalog does.</summary>
internal sealed class ScopedDb(AsyncServiceScope scope) : IAsyncDisposable
{
    public BatouDb Db { get; } = scope.ServiceProvider.GetRequiredService<BatouDb>();

    public static ScopedDb Open(IServiceScopeFactory scopes) => new(scopes.CreateAsyncScope());

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
