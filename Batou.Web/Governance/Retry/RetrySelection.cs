using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Retry;

/// <summary>
/// The roots a deployment is limited to (<see cref="DeploymentRequestEntity.Roots"/>, one <c>component@host</c> per
/// line), stored with its request before the job exists and handed to the engine as <c>DeploymentRequest.Only</c>.
/// </summary>
public static class RetrySelection
{
    public static string? Join(IReadOnlyList<string>? roots) => roots is null || roots.Count == 0 ? null : string.Join('\n', roots);

    public static IReadOnlyList<string>? Split(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? null : stored.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The selection of deployment <paramref name="id"/>, or null (every root).</summary>
    public static async Task<IReadOnlyList<string>?> ForAsync(IServiceScopeFactory scopes, long id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        return Split(await db.DeploymentRequests.AsNoTracking().Where(r => r.DeploymentId == id).Select(r => r.Roots).FirstOrDefaultAsync());
    }
}
