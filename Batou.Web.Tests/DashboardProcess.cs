using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Batou.Web.Tests;

/// <summary>
/// A dashboard as a real child process (<c>dotnet Batou.Web.dll</c> from the build output) with its own data
/// directory and port, so a test can kill -9 it. Its output goes to a log file in the data directory.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    public string BaseUrl { get; }
    public int Pid => _process.Id;

    private DashboardProcess(Process process, string baseUrl, string logFile)
    {
        _process = process;
        BaseUrl = baseUrl;
        LogFile = logFile;
    }

    /// <summary>Its standard output and error (written as they come).</summary>
    public string LogFile { get; }

    public static string WebDll()
    {
        var root = DashboardFixture.SourceRoot();
        var dll = Path.Combine(root, "Batou.Web", "bin", "Debug", "net10.0", "Batou.Web.dll");
        return File.Exists(dll) ? dll : Path.Combine(root, "Batou.Web", "bin", "Release", "net10.0", "Batou.Web.dll");
    }

    /// <summary>The built dashboard in Production on <paramref name="url"/>, with its data folder and one repository.</summary>
    public static ProcessStartInfo StartInfo(string dataDir, string url, string repository, string repositoryUrl)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDir };
        psi.ArgumentList.Add(WebDll());
        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Batou__DataDirectory"] = dataDir;
        psi.Environment["Batou__Repositories__0__Name"] = repository;
        psi.Environment["Batou__Repositories__0__Url"] = repositoryUrl;
        return psi;
    }

    public static async Task<DashboardProcess> StartAsync(DashboardFixture app, string dataDir, Dictionary<string, string>? settings = null)
    {
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var psi = StartInfo(dataDir, $"http://127.0.0.1:{port}", "example", app.RepoDir);
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in DashboardFixture.TestDefaults.Concat(settings ?? [])) psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        var process = Process.Start(psi)!;
        // outside the fixture's folder, so a failed run can be read afterwards
        var logs = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "batou-dashboard-logs"));
        var logFile = Path.Combine(logs.FullName, $"{Path.GetFileName(dataDir)}-{process.Id}.log");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new DashboardProcess(process, $"http://127.0.0.1:{port}", logFile);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(180);   // a start takes over a minute at a load average of 50 (several engineers on two cores)
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the dashboard exited with {process.ExitCode}: see {dataDir}");
            try
            {
                var r = await probe.GetAsync(dashboard.BaseUrl + "/account/login");
                if (r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found) return dashboard;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException("the dashboard did not start: see " + dataDir);
            await Task.Delay(100);
        }
    }

    /// <summary>A signed-in client (creating the admin on the first call for this data directory).</summary>
    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60),
        };
        var setup = await client.GetStringAsync("/setup");
        if (setup.Contains("create-admin", StringComparison.Ordinal))
            await DashboardFixture.PostFormAsync(client, "/setup", "/account/setup",
                new() { ["UserName"] = DashboardFixture.User, ["Password"] = DashboardFixture.Password, ["Confirm"] = DashboardFixture.Password });
        else
            await DashboardFixture.PostFormAsync(client, "/account/login", "/account/login",
                new() { ["UserName"] = DashboardFixture.User, ["Password"] = DashboardFixture.Password });
        var home = await client.GetAsync("/deployments");
        Assert.Equal("/deployments", home.RequestMessage!.RequestUri!.AbsolutePath);
        return client;
    }

    /// <summary>kill -9: no shutdown, no flushing, nothing.</summary>
    public void Kill()
    {
        using var kill = Process.Start("kill", ["-9", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        _process.WaitForExit(10_000);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>SIGTERM, as a service manager stops it; the exit code, or null when it had not ended after <paramref name="wait"/> (then it is killed).</summary>
    public async Task<int?> StopAsync(TimeSpan wait)
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var cts = new CancellationTokenSource(wait);
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                _process.Kill(true);
                return null;
            }
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(40));
        _process.Dispose();
    }
}
