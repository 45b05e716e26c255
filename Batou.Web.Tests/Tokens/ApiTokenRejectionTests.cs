using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Batou.Web.Data;
using Batou.Web.Governance.Identity;
using Batou.Web.Governance.Tokens;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Batou.Web.Tests.Tokens;

/// <summary>
/// Tokens that do not check out, on a dashboard of its own (its failure counter and database are this test's): each
/// kind is a 401 saying only "invalid or expired token" and an audit entry; too many from one address are a 429; the
/// secret is in no database file, no audit entry and no log line.
/// </summary>
[Collection("dashboard")]
public sealed class ApiTokenRejectionTests(DashboardFixture app)
{
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string category) => new Logger(this, category);
        public void Dispose() { }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel level) => true;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> formatter) =>
                logs.Lines.Enqueue($"{level} {category}: {formatter(state, e)} {e}");
        }
    }

    [Fact]
    public async Task Wrong_unknown_expired_and_revoked_tokens_are_401_audited_rate_limited_and_the_secret_is_stored_nowhere()
    {
        var logs = new CapturedLogs();
        await using var dashboard = DashboardInstance.Start(app, settings: new() { ["Batou:ApiTokens:FailuresPerMinute"] = "5" },
            configure: b => b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        using var admin = await dashboard.SignedInClientAsync();
        await dashboard.CreateUserAsync("ci-owner", "ci-owner-password", "deployer");
        var services = dashboard.Factory.Services;
        var good = await Tokens.CreateAsync(services, "ci-owner", [TokenAction.Read, TokenAction.Deploy]);
        var expired = await Tokens.CreateAsync(services, "ci-owner", [TokenAction.Read], days: 1);
        var revoked = await Tokens.CreateAsync(services, "ci-owner", [TokenAction.Read]);
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            var id = Tokens.PublicId(expired);
            await db.ApiTokens.Where(t => t.PublicId == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresUtc, DateTime.UtcNow.AddMinutes(-1)));
        }
        var store = services.GetRequiredService<ApiTokenStore>();
        var revokedRow = (await store.ListAsync("ci-owner")).Single(r => r.PublicId == Tokens.PublicId(revoked));
        Assert.Null(await store.RevokeAsync(await Tokens.PrincipalAsync(services, "ci-owner"), revokedRow.Id));

        // the good token works (and deploys: the canary passes through the whole request path)
        using (var client = Tokens.Bearer(dashboard.BaseUrl, good))
        {
            var id = await DashboardApi.DeployAsync(client, "tick", app.MainHead);
            Assert.Equal("succeeded", (await DashboardApi.WaitAsync(client, id)).Status);
        }

        var flip = good.Length - 10;   // one character inside the secret, so the token still looks well-formed
        var wrongSecret = good[..flip] + (good[flip] == 'A' ? 'B' : 'A') + good[(flip + 1)..];
        var unknownId = "batou_00000000deadbeef_" + good[^43..];
        var attempts = new[] { ("wrong secret", wrongSecret), ("unknown token id", unknownId), ("expired", expired), ("revoked", revoked), ("not a batou token", "hunter2") };
        foreach (var (_, token) in attempts)
        {
            using var client = Tokens.Bearer(dashboard.BaseUrl, token);
            var response = await client.GetAsync("/api/deployments/1");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("invalid or expired token", body);
            Assert.DoesNotContain("revoked", body);
            Assert.DoesNotContain("secret", body);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        }

        List<AuditEntryEntity> rejected;
        using (var scope = services.CreateScope())
            rejected = await scope.ServiceProvider.GetRequiredService<BatouDb>().AuditEntries.AsNoTracking()
                .Where(e => e.Action == AuditActions.TokenRejected).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(attempts.Length, rejected.Count);
        for (var i = 0; i < attempts.Length; i++)
        {
            Assert.Contains(attempts[i].Item1, rejected[i].Detail);
            Assert.Equal("127.0.0.1", rejected[i].Address);
        }
        Assert.Equal([$"token {Tokens.PublicId(good)}", "token 00000000deadbeef", $"token {Tokens.PublicId(expired)}", $"token {Tokens.PublicId(revoked)}", null],
            rejected.Select(e => e.Target));

        // five failures within the minute: this address is refused for the rest of it, even with the good token
        using (var client = Tokens.Bearer(dashboard.BaseUrl, good))
        {
            var limited = await client.GetAsync("/api/deployments/1");
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.NotNull(limited.Headers.RetryAfter);
        }

        // canaries: no secret in the database files (with the WAL), the audit trail or the log
        var secrets = new[] { good, expired, revoked }.SelectMany(t => new[] { t, t[^43..] }).ToList();
        foreach (var file in Directory.EnumerateFiles(dashboard.DataDir, "*.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in secrets)
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds a token secret");
        }
        Assert.Contains(logs.Lines, l => l.Contains("batou-token", StringComparison.Ordinal));   // the log was captured
        foreach (var secret in secrets) Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }
}
