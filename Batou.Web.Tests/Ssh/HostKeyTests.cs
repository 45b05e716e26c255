using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using Batou.Engine.Tests.Secrets;
using Batou.Web.Data;
using Batou.Web.Ssh;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests.Ssh;

/// <summary>
/// Host keys pinned in the dashboard, against the real loopback sshd (BATOU_TEST_SSH_DIR): on dashboards of their own
/// (default settings: builtin client, only pinned host keys), with the targets' key given in memory, passphrase-protected.
/// </summary>
[Collection("dashboard")]
public sealed class HostKeyTests(DashboardFixture app) : BrowserSession(app)
{
    private static string SshDir => Environment.GetEnvironmentVariable("BATOU_TEST_SSH_DIR") is { Length: > 0 } d ? d : Path.Combine(DashboardFixture.SourceRoot(), ".test-sshd");
    private static int Port => int.Parse(File.ReadAllLines(Path.Combine(SshDir, "ssh_config")).First(l => l.Trim().StartsWith("Port ", StringComparison.Ordinal)).Trim()[5..],
        System.Globalization.CultureInfo.InvariantCulture);
    private static string HostFingerprint => Run("ssh-keygen", "-lf", Path.Combine(SshDir, "host_ed25519.pub")).Split(' ')[1];
    private const string Bogus = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    private static string BogusFingerprint => "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(Bogus))).TrimEnd('=');

    private static readonly HtmlParser Parser = new();
    /// <summary>The fixture's environment on the test sshd kept for these tests (its own target directory).</summary>
    private const string Env = "remote-keys";

    [Fact]
    public async Task An_unknown_host_key_fails_the_first_deployment_an_admin_approves_it_in_the_browser_and_the_rerun_succeeds_without_leaking_the_key()
    {
        RequireSshd();
        var (keyText, passphrase) = EncryptedClientKey();
        var log = new CapturedLog();
        await using var dashboard = Start(keyText, passphrase, log);
        using var client = await dashboard.SignedInClientAsync();

        var first = await DashboardInstance.DeployAsync(client, Env, App.MainHead);
        Assert.Equal("failed", await WaitForFinalAsync(client, first));
        var firstLog = await client.GetStringAsync($"/deployments/{first}/log.txt");
        Assert.Contains("Host key verification failed: no known key for", firstLog);   // the engine's message, unchanged
        Assert.Contains($"unknown host key ssh-ed25519 {HostFingerprint} at 127.0.0.1:{Port}", firstLog);

        // the admin finds it on /admin/host-keys and approves it
        var page = await SignedInAsync(dashboard);
        await GoToAsync(page, dashboard, "/admin/host-keys");
        var row = page.Locator($"#host-keys tr.host-key[data-fingerprint='{HostFingerprint}']");
        await Expect(row).ToHaveAttributeAsync("data-status", HostKeyStatus.Pending);
        await Expect(row).ToContainTextAsync("host1");
        await Expect(row).ToContainTextAsync($"127.0.0.1:{Port}");
        await Expect(row).ToContainTextAsync("ssh-ed25519");
        await Expect(row.Locator($"a[href='/deployments/{first}']")).ToBeVisibleAsync();
        await ShotAsync(page, "hostkeys-1-pending.png", fullPage: true);
        await row.Locator(".approve-key").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-status", HostKeyStatus.Approved, new() { Timeout = 15_000 });
        await Expect(row).ToContainTextAsync(DashboardFixture.User);
        await ShotAsync(page, "hostkeys-2-approved.png", fullPage: true);

        // the re-run passes the approved key as the only trusted one, with the key from memory
        var cmdlines = new ConcurrentBag<string>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchCommandLines(cmdlines, watching.Token));
        var second = await DashboardInstance.DeployAsync(client, Env, App.MainHead);
        var status = await WaitForFinalAsync(client, second);
        await watching.CancelAsync();
        await watcher;
        Assert.True(status == "succeeded", await client.GetStringAsync($"/deployments/{second}/log.txt"));
        Assert.True(File.Exists(Path.Combine("/home/batou-host1", App.RemoteTarget + "-keys", "work", "app", "app.conf")));
        await page.Context.CloseAsync();   // the circuit ends before the dashboard stops

        // no trace of the key or its passphrase: command lines seen during the run, the log, the database files
        var keyLine = KeyCanary(keyText);
        Assert.NotEmpty(cmdlines);   // the watcher did look
        Assert.DoesNotContain(cmdlines, c => c.Contains(passphrase, StringComparison.Ordinal) || c.Contains(keyLine, StringComparison.Ordinal));
        var logged = string.Join("\n", log.Lines);
        Assert.Contains("ssh for deployments: a key in memory", logged);
        Assert.DoesNotContain(passphrase, logged);
        Assert.DoesNotContain(keyLine, logged);
        foreach (var file in Directory.GetFiles(dashboard.DataDir, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).StartsWith("batou-web.db", StringComparison.Ordinal)))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.DoesNotContain(passphrase, bytes);
            Assert.DoesNotContain(keyLine, bytes);
        }
        // and no key file written into the data folder
        Assert.DoesNotContain(Directory.GetFiles(dashboard.DataDir, "*", SearchOption.AllDirectories),
            f => new FileInfo(f).Length < 10_000 && File.ReadAllText(f).Contains("OPENSSH PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_host_key_is_refused_with_both_fingerprints_until_an_admin_replaces_the_approved_key()
    {
        RequireSshd();
        var (keyText, passphrase) = EncryptedClientKey();
        await using var dashboard = Start(keyText, passphrase, new CapturedLog());
        using var client = await dashboard.SignedInClientAsync();
        // arrange: the dashboard has another key approved for the sshd's address (as if the host had been re-installed since)
        await using (var scope = dashboard.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            db.HostKeys.Add(new HostKeyEntity
            {
                Address = "127.0.0.1", Port = Port, KeyType = "ssh-ed25519", Fingerprint = BogusFingerprint, PublicKey = "ssh-ed25519 " + Bogus,
                Status = HostKeyStatus.Approved, Host = "host1", FirstSeenUtc = DateTime.UtcNow, LastSeenUtc = DateTime.UtcNow, DecidedBy = "arrange",
            });
            await db.SaveChangesAsync();
        }

        var refused = await DashboardInstance.DeployAsync(client, Env, App.MainHead);
        Assert.Equal("failed", await WaitForFinalAsync(client, refused));
        var text = await client.GetStringAsync($"/deployments/{refused}/log.txt");
        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", text);
        Assert.Contains($"offered ssh-ed25519 {HostFingerprint}, approved ssh-ed25519 {BogusFingerprint}", text);

        // a person who is not an administrator cannot replace it
        await dashboard.CreateUserAsync("hk-deployer", "deployer-password-1");
        long changedId;
        await using (var scope = dashboard.Factory.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<HostKeyStore>();
            var changed = (await store.AllAsync()).Single(k => k.Fingerprint == HostFingerprint);
            Assert.Equal((HostKeyStatus.Pending, BogusFingerprint, refused), (changed.Status, changed.ReplacesFingerprint, changed.DeploymentId?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            changedId = changed.Id;
            var deployer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "hk-deployer")], "test", ClaimTypes.Name, ClaimTypes.Role));
            Assert.False((await store.ReplaceAsync(changedId, deployer)).Done);
            Assert.False((await store.ApproveAsync(changedId, deployer)).Done);
            // nor does a plain approval replace an approved key, even for an admin
            var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, DashboardFixture.User),
                new Claim(Batou.Web.Infrastructure.AdminRequirement.ClaimType, Batou.Web.Infrastructure.AdminRequirement.ClaimValue)], "test", ClaimTypes.Name, ClaimTypes.Role));
            var plain = await store.ApproveAsync(changedId, admin);
            Assert.False(plain.Done);
            Assert.Contains("replaced explicitly", plain.Message);
        }

        // the page shows both fingerprints; the admin replaces the key explicitly (with a confirmation)
        var page = await SignedInAsync(dashboard);
        await GoToAsync(page, dashboard, "/admin/host-keys");
        var row = page.Locator($"#host-keys tr.host-key[data-id='{changedId}']");
        await Expect(row.Locator(".host-key-status")).ToHaveTextAsync("changed");
        await Expect(row.Locator(".fingerprint")).ToHaveTextAsync(HostFingerprint);
        await Expect(row.Locator(".known-fingerprint")).ToHaveTextAsync(BogusFingerprint);
        await Expect(row.Locator(".approve-key")).ToHaveCountAsync(0);
        await ShotAsync(page, "hostkeys-3-changed.png", fullPage: true);
        await row.Locator(".replace-key").ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasTextString = "Replace" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-status", HostKeyStatus.Approved, new() { Timeout = 15_000 });
        await Expect(page.Locator($"#host-keys tr.host-key[data-fingerprint='{BogusFingerprint}']")).ToHaveAttributeAsync("data-status", HostKeyStatus.Replaced);

        await page.Context.CloseAsync();
        var rerun = await DashboardInstance.DeployAsync(client, Env, App.MainHead);
        var status = await WaitForFinalAsync(client, rerun);
        Assert.True(status == "succeeded", await client.GetStringAsync($"/deployments/{rerun}/log.txt"));
    }

    [Fact]
    public async Task A_repository_can_be_told_to_use_openssh_which_honours_its_ssh_config_and_known_hosts()
    {
        RequireSshd();
        await using var dashboard = DashboardInstance.Start(App, settings: new() { ["Batou:Repositories:0:SshClient"] = "openssh" });
        using var client = await dashboard.SignedInClientAsync();
        var id = await DashboardInstance.DeployAsync(client, Env, App.MainHead);
        var status = await WaitForFinalAsync(client, id);
        var text = await client.GetStringAsync($"/deployments/{id}/log.txt");
        Assert.True(status == "succeeded", text);
        await using var scope = dashboard.Factory.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<BatouDb>().HostKeys.ToListAsync());
        var repo = await scope.ServiceProvider.GetRequiredService<BatouDb>().Repositories.SingleAsync(r => r.Name == "example");
        var options = await scope.ServiceProvider.GetRequiredService<DeploymentSsh>().ForAsync(repo);
        Assert.Equal(("openssh", true, (string?)null), (options.DefaultClient, options.OnlyPinnedHostKeys, options.KnownHosts));
    }

    [Fact]
    public async Task The_targets_key_and_its_passphrase_can_come_from_Azure_Key_Vault_into_memory_only()
    {
        RequireSshd();
        var (keyText, passphrase) = EncryptedClientKey();
        using var vault = new FakeKeyVault();
        vault.Secrets["deploy-key"] = keyText;
        vault.Secrets["deploy-key-passphrase"] = passphrase;
        var log = new CapturedLog();
        await using var dashboard = DashboardInstance.Start(App, settings: new()
        {
            ["Batou:Ssh:KeyVaultUrl"] = vault.Url.ToString(),
            ["Batou:Ssh:PrivateKeySecret"] = "deploy-key",
            ["Batou:Ssh:PassphraseSecret"] = "deploy-key-passphrase",
            ["Batou:Ssh:OnlyPinnedHostKeys"] = "false",   // the repository's known_hosts: this test is about the key
        }, configure: b => b.ConfigureLogging(l => l.AddProvider(log)).ConfigureServices(s => s.AddSingleton<VaultClientFactory>(vault.Client)));
        Assert.Contains(vault.Requests, r => r.Contains("/secrets/deploy-key", StringComparison.Ordinal));
        using var client = await dashboard.SignedInClientAsync();
        var id = await DashboardInstance.DeployAsync(client, Env, App.MainHead);
        var status = await WaitForFinalAsync(client, id);
        var text = await client.GetStringAsync($"/deployments/{id}/log.txt");
        Assert.True(status == "succeeded", text);

        var keyLine = KeyCanary(keyText);
        var logged = string.Join("\n", log.Lines);
        Assert.Contains("ssh for deployments: a key in memory", logged);
        Assert.DoesNotContain(passphrase, logged + text);
        Assert.DoesNotContain(keyLine, logged + text);
        Assert.DoesNotContain(Directory.GetFiles(dashboard.DataDir, "*", SearchOption.AllDirectories),
            f => new FileInfo(f).Length < 10_000 && File.ReadAllText(f).Contains("OPENSSH PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_vault_secret_that_cannot_be_read_stops_the_start_naming_the_vault_and_the_secret_never_a_value()
    {
        using var vault = new FakeKeyVault();
        vault.Secrets["other"] = "kv-canary-" + Guid.NewGuid().ToString("N");
        var error = Assert.ThrowsAny<Exception>(() => DashboardInstance.Start(App, settings: new()
        {
            ["Batou:Ssh:KeyVaultUrl"] = vault.Url.ToString(),
            ["Batou:Ssh:PrivateKeySecret"] = "missing-key",
        }, configure: b => b.ConfigureServices(s => s.AddSingleton<VaultClientFactory>(vault.Client))));
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains($"Batou:Ssh:PrivateKeySecret: could not read the secret 'missing-key' from the key vault {vault.Url}: no such secret.", messages);
        Assert.DoesNotContain(vault.Secrets["other"], messages);

        var invalid = Assert.ThrowsAny<Exception>(() => DashboardInstance.Start(App, settings: new()
        {
            ["Batou:Ssh:KeyVaultUrl"] = "http://vault.example/",
            ["Batou:Ssh:PrivateKeySecret"] = "deploy-key",
        }));
        Assert.Contains("Batou:Ssh:KeyVaultUrl: http://vault.example/ is not an https URL", string.Join(" | ", Chain(invalid).Select(e => e.Message)));
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a) foreach (var inner in a.InnerExceptions) foreach (var y in Chain(inner)) yield return y;
        }
    }

    private void RequireSshd() =>
        Assert.True(File.Exists(Path.Combine(App.RepoDir, "environments", Env, "environment.cfg")), "the test sshd is not running (BATOU_TEST_SSH_DIR)");

    private DashboardInstance Start(string keyText, string passphrase, CapturedLog log) =>
        DashboardInstance.Start(App, settings: new() { ["Batou:Ssh:PrivateKey"] = keyText, ["Batou:Ssh:Passphrase"] = passphrase },
            configure: b => b.ConfigureLogging(l => l.AddProvider(log)));

    /// <summary>The test client key, re-encrypted with a fresh passphrase; the copy on disk is deleted at once.</summary>
    private static (string Key, string Passphrase) EncryptedClientKey()
    {
        var passphrase = "hk-canary-" + Guid.NewGuid().ToString("N");
        var dir = Directory.CreateTempSubdirectory("batou-hk-");
        try
        {
            var path = Path.Combine(dir.FullName, "key");
            File.Copy(Path.Combine(SshDir, "client_ed25519"), path);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Run("ssh-keygen", "-q", "-p", "-P", "", "-N", passphrase, "-f", path);
            return (File.ReadAllText(path), passphrase);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A base64 line from the middle of the key: what any leak of the key's text would contain.</summary>
    private static string KeyCanary(string key) =>
        key.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Skip(2).First();

    private static void WatchCommandLines(ConcurrentBag<string> seen, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
                try
                {
                    var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    if (cmd.Length > 0) seen.Add(cmd);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            Thread.Sleep(50);
        }
    }

    private static async Task<string> ReadSharedAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return await reader.ReadToEndAsync();
    }

    private static async Task<string> WaitForFinalAsync(HttpClient client, string id)
    {
        var until = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < until)
        {
            var doc = Parser.ParseDocument(await client.GetStringAsync($"/deployments/{id}"));
            var status = doc.QuerySelector("#deployment")!.GetAttribute("data-status")!;
            if (status is not ("queued" or "running")) return status;
            await Task.Delay(200);
        }
        throw new TimeoutException($"deployment {id} did not finish");
    }

    private async Task<IPage> SignedInAsync(DashboardInstance dashboard)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(dashboard.BaseUrl + "/account/login");
        await page.FillAsync("#UserName", DashboardFixture.User);
        await page.FillAsync("#Password", DashboardFixture.Password);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#repositories")).ToBeVisibleAsync();
        return page;
    }

    private static async Task GoToAsync(IPage page, DashboardInstance dashboard, string path)
    {
        await page.GotoAsync(dashboard.BaseUrl + path);
        await InteractiveAsync(page);
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file}: {p.StandardError.ReadToEnd()}");
        return output;
    }
}

/// <summary>Every line the dashboard logs (formatted, with exceptions), for canary checks.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLog sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
