using System.Collections.Concurrent;
using Batou.Engine.Api;
using Batou.Web.Data;

namespace Batou.Web.Git;

/// <summary>The engine's view of an environment at a commit; commits never change, so results are kept.</summary>
public sealed class ModelCache(RepositoryCatalog catalog, EngineProcess engine)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<EnvironmentOverview>>> _overviews = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<string>>>> _environments = new();
    private readonly SemaphoreSlim _engine = new(2, 2);

    public Task<IReadOnlyList<string>> EnvironmentsAsync(RepositoryEntity repo, string commit) =>
        _environments.GetOrAdd($"{repo.Name}/{commit}", _ => new(async () =>
        {
            try
            {
                var dir = await catalog.CheckoutAsync(repo, commit);
                return BatouEngine.Environments(dir);
            }
            catch (Exception e) when (e is GitException or IOException or BatouException)
            {
                return [];
            }
        })).Value;

    public Task<EnvironmentOverview> DescribeAsync(RepositoryEntity repo, string commit, string environment) =>
        _overviews.GetOrAdd($"{repo.Name}/{commit}/{environment}", _ => new(async () =>
        {
            var dir = await catalog.CheckoutAsync(repo, commit);
            await _engine.WaitAsync();
            try
            {
                // repository code runs in a child `batou engine` process, never in the dashboard
                return await engine.DescribeAsync(dir, environment);
            }
            catch (BatouException e)
            {
                return new EnvironmentOverview(environment, [], [], e.Errors, []);
            }
            finally
            {
                _engine.Release();
            }
        })).Value;
}
