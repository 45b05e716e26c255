using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Batou.Web.Tests;

/// <summary>A real HTTP receiver on loopback (Kestrel): keeps every request it gets and answers what <c>answer</c> says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(DateTime At, string Event, string Delivery, string Signature, byte[] Body, int Answered);

    private readonly WebApplication _app;
    public ConcurrentQueue<Received> Got { get; } = new();
    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url) => (_app, Url) = (app, url);

    /// <param name="answer">the status code for the n-th request (from 1) of one delivery id</param>
    public static async Task<WebhookReceiver> StartAsync(Func<int, int> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var seen = new ConcurrentDictionary<string, int>();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var delivery = http.Request.Headers["X-Batou-Delivery"].ToString();
            var status = answer(seen.AddOrUpdate(delivery, 1, (_, n) => n + 1));
            self!.Got.Enqueue(new Received(DateTime.UtcNow, http.Request.Headers["X-Batou-Event"].ToString(), delivery,
                http.Request.Headers["X-Batou-Signature"].ToString(), buffer.ToArray(), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        self = new WebhookReceiver(app, app.Urls.First().TrimEnd('/') + "/hook");
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
