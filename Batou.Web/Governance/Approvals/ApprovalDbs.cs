using Batou.Web.Data;
using Batou.Web.Extensions;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Approvals;

/// <summary>
/// Database contexts for the approval services, which are singletons (the runner and the expiry loop use them) while
/// the registered context factory is scoped: the same provider and options, built once; each context belongs to the caller.
/// </summary>
public sealed class ApprovalDbs(DatabaseSettings database)
{
    private readonly DbContextOptions<BatouDb> _options = Build(database);

    public Task<BatouDb> CreateDbContextAsync(CancellationToken ct = default) => Task.FromResult(new BatouDb(_options));

    private static DbContextOptions<BatouDb> Build(DatabaseSettings database)
    {
        var o = new DbContextOptionsBuilder<BatouDb>();
        BatouDbOptions.Configure(o, database.Provider, database.ConnectionString);
        if (database.Provider == DatabaseProvider.Sqlite) o.AddInterceptors(new SqlitePragmas());
        return o.Options;
    }
}
