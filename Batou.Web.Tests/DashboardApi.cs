using System.Net.Http.Json;
using System.Text.Json;

namespace Batou.Web.Tests;

/// <summary>The dashboard's JSON API (docs/dashboard.md) as the queue and crash tests use it.</summary>
public static class DashboardApi
{
    public sealed record Deployment(long Id, string Environment, string Status, bool Cancelling, string? CancelledBy,
        DateTime RequestedUtc, DateTime? StartedUtc, DateTime? FinishedUtc, int EventCount, int ErrorCount);

    public sealed record StoredEvent(int Seq, string Type, JsonElement Event);

    public static async Task<long> DeployAsync(HttpClient client, string environment, string commit, int? jobs = null)
    {
        var response = await client.PostAsJsonAsync("/api/repos/example/deployments", new { environment, commit, jobs });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<Deployment>(body, JsonSerializerOptions.Web)!.Id;
    }

    public static async Task<Deployment> GetAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<Deployment>($"/api/deployments/{id}", JsonSerializerOptions.Web))!;

    public static async Task<List<StoredEvent>> EventsAsync(HttpClient client, long id, int after = 0)
    {
        var all = new List<StoredEvent>();
        while (true)
        {
            var page = (await client.GetFromJsonAsync<List<StoredEvent>>($"/api/deployments/{id}/events?after={after}&limit=10000", JsonSerializerOptions.Web))!;
            if (page.Count == 0) return all;
            all.AddRange(page);
            after = page[^1].Seq;
        }
    }

    public static async Task<HttpResponseMessage> CancelAsync(HttpClient client, long id) =>
        await client.PostAsJsonAsync($"/api/deployments/{id}/cancel", new { });

    /// <summary>Polls <paramref name="condition"/> until it holds; bounded.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("never: " + what);
            await Task.Delay(50);
        }
    }

    /// <summary>Polls until the deployment reaches <paramref name="done"/> (default: a final status); bounded.</summary>
    public static async Task<Deployment> WaitAsync(HttpClient client, long id, Func<Deployment, bool>? done = null, int seconds = 90)
    {
        done ??= d => d.Status is "succeeded" or "failed" or "cancelled" or "interrupted";
        var until = DateTime.UtcNow.AddSeconds(seconds);
        Deployment d;
        do
        {
            d = await GetAsync(client, id);
            if (done(d)) return d;
            await Task.Delay(50);
        } while (DateTime.UtcNow < until);
        throw new TimeoutException($"deployment {id} stayed {d.Status}");
    }
}
