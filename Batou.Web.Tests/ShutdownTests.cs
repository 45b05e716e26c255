using System.Diagnostics;

namespace Batou.Web.Tests;

/// <summary>
/// Stopping a dashboard (SIGTERM, as a service manager does) while people have pages open: the browsers' circuits
/// reconnect at once when their connections close, and a stopping dashboard must not take them in. It did: the host
/// then waited its whole 30-second shutdown timeout for the new connections and ended with an unhandled exception.
/// </summary>
[Collection("dashboard")]
public sealed class ShutdownTests(DashboardFixture app) : BrowserSession(app)
{
    [Fact]
    public async Task A_dashboard_with_open_pages_stops_cleanly_and_without_waiting_for_them()
    {
        var data = Path.Combine(App.Root, "shutdown-" + Guid.NewGuid().ToString("n")[..8]);
        var dashboard = await DashboardProcess.StartAsync(App, data);
        try
        {
            (await dashboard.SignedInClientAsync()).Dispose();   // creates the admin
            var home = await SignedInOnAsync(dashboard.BaseUrl);
            await InteractiveAsync(home);
            var history = await home.Context.NewPageAsync();
            await history.GotoAsync(dashboard.BaseUrl + "/deployments");
            await InteractiveAsync(history);

            var clock = Stopwatch.StartNew();
            var code = await dashboard.StopAsync(TimeSpan.FromSeconds(90));
            var log = await File.ReadAllTextAsync(dashboard.LogFile);

            Assert.True(code == 0, $"the dashboard ended with {code?.ToString() ?? "no exit (killed)"} after {clock.Elapsed.TotalSeconds:0.0} s:\n{log}");
            Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
        }
        finally
        {
            await dashboard.DisposeAsync();
        }
    }
}
