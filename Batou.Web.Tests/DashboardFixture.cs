using System.Diagnostics;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Batou.Web.Tests;

/// <summary>
/// One dashboard on real Kestrel (loopback, random port) over a fresh data folder and a real git repository:
/// the example webapp on <c>main</c>, and a <c>broken</c> branch whose environment.cfg has a syntax error.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>
    /// Settings every test dashboard starts with (a test's own settings override them):
    /// <list type="bullet">
    /// <item>cold agents: the engine's WarmModeTests (run at the same time by test.sh) own the warm agents of batou-host1,
    /// and a dashboard deployment's 5-minute warm agent of the same binary made theirs busy or changed its idle time (the
    /// default itself is WarmSettingTests');</item>
    /// <item>no pool of warm engine processes: the suite starts many dashboards, and each would keep two engine processes
    /// warming up beside the tests (the default and the pool are EnginePoolTests').</item>
    /// </list>
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> TestDefaults = new Dictionary<string, string>
    {
        ["Batou:Ssh:Warm"] = "0",
        ["Batou:Engine:PoolSize"] = "0",
    };

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "batou-web-tests-" + Guid.NewGuid().ToString("n")[..8]);
    public string RepoDir => Path.Combine(Root, "deployment");
    public BatouFactory Factory { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string MainHead { get; private set; } = "";
    public string BrokenHead { get; private set; } = "";
    public const string User = "admin", Password = "correct-horse";

    /// <summary>The target directory (in host1's home) of the "remote" environment.</summary>
    public string RemoteTarget { get; } = "web-" + Guid.NewGuid().ToString("n")[..8];

    /// <summary>While this file exists, the slow environment's third nap waits.</summary>
    public string HoldFile => Path.Combine(Root, "hold");

    /// <summary>The chatty environment logs this many lines, once this file is gone.</summary>
    public const int ChattyLines = 100_000;
    public string ChattyHoldFile => Path.Combine(Root, "chatty-hold");

    /// <summary>While this file exists, both roots of the "twins" environment wait inside their update.</summary>
    public string TwinHoldFile => Path.Combine(Root, "twin-hold");

    /// <summary>While this file exists, the flaky root of the "retry" environment fails (RetryTests).</summary>
    public string RetryMarkerFile => Path.Combine(Root, "retry-marker");

    public async Task InitializeAsync()
    {
        CopyDirectory(Path.Combine(SourceRoot(), "examples", "webapp"), RepoDir);
        // a slow component makes deployments long enough to watch, reload and queue behind
        Directory.CreateDirectory(Path.Combine(RepoDir, "components", "slow"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "components", "slow", "component.cs"), """
            public sealed class Slow : Component
            {
                public int Steps { get; set; } = 6;
                public string HoldFile { get; set; } = "";
                protected override void Configure()
                {
                    for (var i = 0; i < Steps; i++) Add(new Nap { Index = i, Hold = HoldFile });
                }
            }
            public sealed class Nap : Component
            {
                [NotASetting] public int Index { get; set; }
                [NotASetting] public string Hold { get; set; } = "";
                protected override void Verify() => throw new UpdateNeeded("nap " + Index);
                protected override void Update()
                {
                    Log("napping " + Index);
                    System.Threading.Thread.Sleep(400);
                    // a test can hold the deployment here (deterministic, whatever the machine's load)
                    var until = DateTime.UtcNow.AddSeconds(90);
                    while (Index == 2 && Hold.Length > 0 && System.IO.File.Exists(Hold) && DateTime.UtcNow < until) System.Threading.Thread.Sleep(50);
                }
            }
            """);
        // a chatty component: one deployment with 100,000 log lines, held before the first until released
        Directory.CreateDirectory(Path.Combine(RepoDir, "components", "chatty"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "components", "chatty", "component.cs"), """
            public sealed class Chatty : Component
            {
                public int Lines { get; set; } = 100000;
                public string HoldFile { get; set; } = "";
                protected override void Verify() => throw new UpdateNeeded("always talks");
                protected override void Update()
                {
                    var until = DateTime.UtcNow.AddSeconds(90);
                    while (HoldFile.Length > 0 && System.IO.File.Exists(HoldFile) && DateTime.UtcNow < until) System.Threading.Thread.Sleep(50);
                    for (var i = 1; i <= Lines; i++) Log("chatty line " + i);
                }
            }
            """);
        Directory.CreateDirectory(Path.Combine(RepoDir, "environments", "chatty"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "environments", "chatty", "environment.cfg"),
            $"[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = chatty\n\n[component:chatty]\nlines = {ChattyLines}\nhold_file = {ChattyHoldFile}\n");
        // two independent roots that run in parallel (jobs = 2), each held inside its update; and a quick environment
        foreach (var twin in new[] { "TwinA", "TwinB" })
        {
            Directory.CreateDirectory(Path.Combine(RepoDir, "components", twin.ToLowerInvariant()));
            await File.WriteAllTextAsync(Path.Combine(RepoDir, "components", twin.ToLowerInvariant(), "component.cs"), $$"""
                public sealed class {{twin}} : Component
                {
                    public string HoldFile { get; set; } = "";
                    protected override void Verify() => throw new UpdateNeeded("{{twin}} always works");
                    protected override void Update()
                    {
                        Log("{{twin}} working");
                        var until = DateTime.UtcNow.AddSeconds(90);
                        while (HoldFile.Length > 0 && System.IO.File.Exists(HoldFile) && DateTime.UtcNow < until) System.Threading.Thread.Sleep(50);
                        Log("{{twin}} done");
                    }
                }
                """);
        }
        Directory.CreateDirectory(Path.Combine(RepoDir, "components", "flaky"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "components", "flaky", "component.cs"), """
            public sealed class Flaky : Component
            {
                public string MarkerFile { get; set; } = "";
                protected override void Verify() => throw new UpdateNeeded("flaky always works");
                protected override void Update()
                {
                    if (MarkerFile.Length > 0 && System.IO.File.Exists(MarkerFile)) throw new InvalidOperationException("the marker file is there");
                    Log("flaky worked");
                }
            }
            """);
        Directory.CreateDirectory(Path.Combine(RepoDir, "components", "tick"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "components", "tick", "component.cs"), """
            public sealed class Tick : Component
            {
                protected override void Verify() { }
            }
            """);
        // a command that outlives a cancel's grace period (CancelGraceTests)
        Directory.CreateDirectory(Path.Combine(RepoDir, "components", "graceful"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "components", "graceful", "component.cs"), """
            public sealed class Graceful : Component
            {
                protected override void Verify() => throw new UpdateNeeded();
                protected override void Update() => Cmd("echo started; sleep 300; echo slept", expand: false);
            }
            """);
        foreach (var (env, body) in new[]
                 {
                     ("graceful", "cancel_grace = 45s\n\n[hosts]\nlocalhost = graceful\n"),
                     ("twins", $"[hosts]\nlocalhost = twina, twinb\n\n[component:twina]\nhold_file = {TwinHoldFile}\n\n[component:twinb]\nhold_file = {TwinHoldFile}\n"),
                     ("tick", "[hosts]\nlocalhost = tick\n"),
                     ("crash", "[hosts]\nlocalhost = slow\n\n[component:slow]\nsteps = 6\n"),
                     // RetryTests: tick succeeds, flaky fails while the marker exists, twina then never starts
                     // WebhookLooseEndsTests put a policy on it
                     ("hook-gate", "[hosts]\nlocalhost = tick\n"),
                     ("retry", $"[hosts]\nlocalhost = tick, flaky, twina\n\n[component:flaky]\nmarker_file = {RetryMarkerFile}\n"),
                     // environments only the approval tests put policies on (ApprovalTests, ApprovalBrowserTests)
                     ("gate-stage", "[hosts]\nlocalhost = tick\n"),
                     ("gate-prod", "[hosts]\nlocalhost = tick\n"),
                     ("gate-svc", "[hosts]\nlocalhost = tick\n"),
                     ("gate-window", "[hosts]\nlocalhost = tick\n"),
                     // the API token tests put an approval policy on this one (ApiTokenTests)
                     ("token-gate", "[hosts]\nlocalhost = tick\n"),
                 })
        {
            Directory.CreateDirectory(Path.Combine(RepoDir, "environments", env));
            await File.WriteAllTextAsync(Path.Combine(RepoDir, "environments", env, "environment.cfg"), "[environment]\nconnect_method = local\n\n" + body);
        }
        var cfg = Path.Combine(RepoDir, "environments", "local", "environment.cfg");
        Directory.CreateDirectory(Path.Combine(RepoDir, "environments", "slow"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "environments", "slow", "environment.cfg"),
            $"[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = slow\n\n[component:slow]\nhold_file = {HoldFile}\n");
        // a production-like environment: deploying it asks for confirmation
        Directory.CreateDirectory(Path.Combine(RepoDir, "environments", "production"));
        await File.WriteAllTextAsync(Path.Combine(RepoDir, "environments", "production", "environment.cfg"),
            "[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = slow\n\n[component:slow]\nsteps = 1\n");
        // an environment deployed over ssh to the test sshd (scripts/test-sshd.sh, started by test.sh)
        var sshDir = Environment.GetEnvironmentVariable("BATOU_TEST_SSH_DIR") is { Length: > 0 } d ? d : Path.Combine(SourceRoot(), ".test-sshd");
        if (File.Exists(Path.Combine(sshDir, "ssh_config")))
        {
            File.Copy(Path.Combine(sshDir, "ssh_config"), Path.Combine(RepoDir, "ssh_config"));
            Directory.CreateDirectory(Path.Combine(RepoDir, "environments", "remote"));
            await File.WriteAllTextAsync(Path.Combine(RepoDir, "environments", "remote", "environment.cfg"),
                $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{RemoteTarget}\n\n[hosts]\nhost1 = app, proxy\n");
            // the same host for HostKeyTests, in a target of its own (so the remote environment's first deployment still changes things)
            Directory.CreateDirectory(Path.Combine(RepoDir, "environments", "remote-keys"));
            await File.WriteAllTextAsync(Path.Combine(RepoDir, "environments", "remote-keys", "environment.cfg"),
                $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{RemoteTarget}-keys\n\n[hosts]\nhost1 = app, proxy\n");
        }
        var agent = Path.Combine(SourceRoot(), ".artifacts", "agent", "linux-x64", "batou");
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("BATOU_AGENT")) && File.Exists(agent))
            Environment.SetEnvironmentVariable("BATOU_AGENT", agent);
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("commit", "-q", "-m", "webapp example");
        MainHead = Git("rev-parse", "HEAD").Trim();
        Git("checkout", "-q", "-b", "broken");
        await File.AppendAllTextAsync(cfg, "\n[component:app\nport = 1\n");
        Git("commit", "-q", "-am", "a syntax error");
        BrokenHead = Git("rev-parse", "HEAD").Trim();
        Git("checkout", "-q", "main");

        Factory = new BatouFactory(new(TestDefaults)
        {
            ["Batou:DataDirectory"] = Path.Combine(Root, "data"),
            ["Batou:Repositories:0:Name"] = "example",
            ["Batou:Repositories:0:Url"] = RepoDir,
            ["Batou:Repositories:1:Name"] = "unreachable",
            ["Batou:Repositories:1:Url"] = "https://127.0.0.1:9/nothing/here.git",
            // every test signs in from 127.0.0.1: the shared dashboard must not rate-limit them (SecurityTests checks the default)
            ["Batou:SignInAttemptsPerMinute"] = "10000",
            // the remote environment's ssh_config names the test sshd's known_hosts; pinning is tested on dashboards of their own (HostKeyTests)
            ["Batou:Ssh:OnlyPinnedHostKeys"] = "false",
            // webhook retries a test can wait for (0.3 s, 0.6 s, …)
            ["Batou:Webhooks:RetrySeconds"] = "0.3",
        });
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseUrl = Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await Task.CompletedTask;
    }

    private string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = RepoDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("git " + string.Join(' ', args) + ": " + p.StandardError.ReadToEnd());
        return output;
    }

    /// <summary>A client with cookies, signed in (creating the admin on first use).</summary>
    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = NewClient();
        var setup = await client.GetStringAsync("/setup");
        if (setup.Contains("create-admin", StringComparison.Ordinal))
            await PostFormAsync(client, "/setup", "/account/setup", new() { ["UserName"] = User, ["Password"] = Password, ["Confirm"] = Password });
        else
            await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = User, ["Password"] = Password });
        return client;
    }

    public HttpClient NewClient(bool redirects = true) =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = redirects, HandleCookies = true, BaseAddress = new Uri(BaseUrl) });

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageWithToken, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(pageWithToken);
        var token = new HtmlParser().ParseDocument(html).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public static string SourceRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Batou.sln"))) return d.FullName;
        return "/work/main";
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            if (!Rel(from, dir).StartsWith("work", StringComparison.Ordinal)) Directory.CreateDirectory(Path.Combine(to, Rel(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Rel(from, file);
            if (rel.StartsWith("work", StringComparison.Ordinal) || rel.StartsWith(".batou", StringComparison.Ordinal)) continue;
            File.Copy(file, Path.Combine(to, rel));
        }
    }

    private static string Rel(string from, string path) => Path.GetRelativePath(from, path);

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        var remote = Path.Combine("/home/batou-host1", RemoteTarget);
        if (Directory.Exists(remote)) Directory.Delete(remote, recursive: true);
        if (Directory.Exists(remote + "-keys")) Directory.Delete(remote + "-keys", recursive: true);
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}

[CollectionDefinition("dashboard")]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>;

public sealed class BatouFactory(Dictionary<string, string> settings, Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        configure?.Invoke(builder);
    }
}
