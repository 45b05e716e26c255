using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Batou.Engine.Tests.Secrets;

/// <summary>
/// An https double of the Key Vault REST calls SecretClient makes (stack-notes §10): the bearer
/// challenge (401 + WWW-Authenticate), GET/PUT /secrets/{name}, 404 SecretNotFound, and a mode
/// that denies every request (403). HTTP/1.1 over TLS on loopback, one request per connection.
/// </summary>
public sealed class FakeKeyVault : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public FakeKeyVault()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _listener.Start();
        Url = new Uri($"https://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = Task.Run(AcceptLoop);
    }

    public Uri Url { get; }
    public X509Certificate2 Certificate { get; }
    public ConcurrentDictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<string> Requests { get; } = new();
    public bool Deny { get; set; }

    /// <summary>A real <see cref="SecretClient"/> for this double: a fixed bearer token, its self-signed certificate trusted, no retries.</summary>
    public SecretClient Client(Uri vault)
    {
        var thumbprint = Certificate.Thumbprint;
        return new SecretClient(vault, new StaticToken(), new SecretClientOptions
        {
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, c, _, e) => e == SslPolicyErrors.None || c?.Thumbprint == thumbprint,
            }),
            Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(10) },
        });
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("fake-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            await using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsServerAsync(Certificate);
            var (method, path, headers, body) = await Read(ssl);
            Requests.Enqueue($"{method} {path.Split('?')[0]} auth={headers.ContainsKey("authorization")}");
            var (status, json, extra) = Handle(method, path.Split('?')[0], headers, body);
            var payload = Encoding.UTF8.GetBytes(json);
            var head = $"HTTP/1.1 {status} X\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n{extra}\r\n";
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(head));
            await ssl.WriteAsync(payload);
            await ssl.FlushAsync();
        }
        catch (Exception) { /* a client that went away */ }
    }

    private (int, string, string) Handle(string method, string path, Dictionary<string, string> headers, string body)
    {
        if (!headers.TryGetValue("authorization", out var auth) || !auth.StartsWith("Bearer ", StringComparison.Ordinal))
            return (401, "", "WWW-Authenticate: Bearer authorization=\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\", resource=\"https://vault.azure.net\"\r\n");
        if (Deny)
            return (403, """{"error":{"code":"Forbidden","message":"The user does not have secrets get permission"}}""", "");
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 2 || parts[0] != "secrets") return (400, """{"error":{"code":"BadRequest","message":"unknown path"}}""", "");
        var name = parts[1];
        if (method == "PUT")
        {
            using var doc = JsonDocument.Parse(body);
            Secrets[name] = doc.RootElement.GetProperty("value").GetString()!;
        }
        else if (!Secrets.ContainsKey(name))
            return (404, "{\"error\":{\"code\":\"SecretNotFound\",\"message\":\"A secret with (name/id) " + name + " was not found in this key vault.\"}}", "");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return (200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["value"] = Secrets[name],
            ["id"] = $"{Url}secrets/{name}/0123456789abcdef",
            ["attributes"] = new Dictionary<string, object> { ["enabled"] = true, ["created"] = now, ["updated"] = now, ["recoveryLevel"] = "Recoverable" },
        }), "");
    }

    private static async Task<(string, string, Dictionary<string, string>, string)> Read(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!(buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("closed");
            buffer.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(h => h[0].Trim().ToLowerInvariant(), h => h[1].Trim());
        var length = headers.TryGetValue("content-length", out var l) ? int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return (first[0], first[1], headers, Encoding.UTF8.GetString(body));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Certificate.Dispose();
        _stop.Dispose();
    }
}
