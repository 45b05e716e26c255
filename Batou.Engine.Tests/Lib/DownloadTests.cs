using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class DownloadTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly TinyHttpServer _server = new();

    private static readonly byte[] s_payload = Encoding.UTF8.GetBytes("the payload\n");
    private static readonly string s_sha256 = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(s_payload));

    public DownloadTests() => _server.Files["/files/payload.bin"] = s_payload;

    private DeploymentResult Deploy(string body, Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("fetcher", $$"""
            public class Fetcher : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            """).LocalEnvironment("fetcher");
        return _repo.Deploy(mode: mode);
    }

    private string Work(string relative) => _repo.Work("fetcher/" + relative);

    [Fact]
    public void Http_download_is_stored_under_the_url_name_and_a_second_deploy_fetches_nothing()
    {
        var body = $$"""Add(new Download("{{_server.Url}}/files/payload.bin") { Checksum = "{{s_sha256}}" });""";
        var first = Deploy(body);
        Assert.True(first.Success, first.ToString());
        Assert.Equal([$"Fetcher > Download('{_server.Url}/files/payload.bin')"], first.Updated);
        Assert.Equal(s_payload, File.ReadAllBytes(Work("payload.bin")));
        Assert.Single(_server.Requests);
        Assert.Empty(Directory.GetFiles(_repo.Work("fetcher"), ".*batou-download*"));
        var mtime = File.GetLastWriteTimeUtc(Work("payload.bin"));

        var second = Deploy(body);
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Single(_server.Requests);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Work("payload.bin")));
    }

    [Fact]
    public void A_changed_local_file_is_downloaded_again_into_a_custom_target()
    {
        var body = $$"""Add(new Download("{{_server.Url}}/files/payload.bin") { Checksum = "{{s_sha256}}", Target = "downloads/p.bin" });""";
        Directory.CreateDirectory(Work("downloads"));
        File.WriteAllText(Work("downloads/p.bin"), "tampered");

        var result = Deploy(body);
        Assert.True(result.Success, result.ToString());
        Assert.Contains(result.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason.StartsWith("checksum is sha256:", StringComparison.Ordinal));
        Assert.Equal(s_payload, File.ReadAllBytes(Work("downloads/p.bin")));
    }

    [Fact]
    public void A_404_fails_the_deployment_and_creates_no_file()
    {
        var result = Deploy($$"""Add(new Download("{{_server.Url}}/missing.bin") { Checksum = "{{s_sha256}}" });""");
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Contains("404", error.Message);
        Assert.Contains($"{_server.Url}/missing.bin", error.Message);
        Assert.False(File.Exists(Work("missing.bin")));
        Assert.Empty(Directory.GetFiles(_repo.Work("fetcher")));
    }

    [Fact]
    public void A_wrong_checksum_fails_and_keeps_the_old_target()
    {
        var wrong = "sha256:" + new string('0', 64);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(_repo.Work("fetcher")).FullName, "payload.bin"), "old version");

        var result = Deploy($$"""Add(new Download("{{_server.Url}}/files/payload.bin") { Checksum = "{{wrong}}" });""");
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Contains($"Checksum mismatch! expected {wrong} got {s_sha256}", error.Message);
        Assert.Equal("Fetcher > Download('" + _server.Url + "/files/payload.bin')", error.Component);
        Assert.Equal("old version", File.ReadAllText(Work("payload.bin")));
        Assert.Equal(["payload.bin"], Directory.GetFiles(_repo.Work("fetcher")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_url_password_is_sent_as_basic_auth_but_never_shown()
    {
        var url = _server.Url.Replace("http://", "http://deployer:s3cr%40t@", StringComparison.Ordinal);
        var ok = Deploy($$"""Add(new Download("{{url}}/files/payload.bin") { Checksum = "{{s_sha256}}" });""");
        Assert.True(ok.Success, ok.ToString());
        var masked = _server.Url.Replace("http://", "http://deployer:*****@", StringComparison.Ordinal);
        Assert.Equal([$"Fetcher > Download('{masked}/files/payload.bin')"], ok.Updated);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("deployer:s3cr@t")), _server.Requests.Single().Authorization);
        Assert.DoesNotContain("s3cr", ok.ToString());

        var failed = Deploy($$"""Add(new Download("{{url}}/nope.bin") { Checksum = "{{s_sha256}}" });""");
        Assert.False(failed.Success);
        Assert.Contains("*****", failed.Error("ComponentFailed").Message);
        Assert.DoesNotContain("s3cr", failed.ToString());
        Assert.DoesNotContain("s3cr", string.Join("\n", failed.Errors.Select(e => e.ToString())));
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha1")]
    [InlineData("sha512")]
    [InlineData("SHA256")]
    public void File_urls_work_with_every_checksum_algorithm(string algorithm)
    {
        var source = _repo.PathOf("source data.txt");
        File.WriteAllBytes(source, s_payload);
        var digest = Convert.ToHexStringLower(CryptographicOperations.HashData(new HashAlgorithmName(algorithm.ToUpperInvariant()), s_payload));
        var uri = new Uri(source).AbsoluteUri;

        var body = $$"""Add(new Download("{{uri}}") { Checksum = "{{algorithm}}:{{digest}}" });""";
        var result = Deploy(body);
        Assert.True(result.Success, result.ToString());
        Assert.Equal(s_payload, File.ReadAllBytes(Work("source data.txt")));
        Assert.Empty(Deploy(body).Updated);
    }

    [Fact]
    public void Predicting_downloads_nothing()
    {
        var result = Deploy($$"""Add(new Download("{{_server.Url}}/files/payload.bin") { Checksum = "{{s_sha256}}" });""", Engine.Api.DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Single(result.Updated);
        Assert.Empty(_server.Requests);
        Assert.False(File.Exists(Work("payload.bin")));
    }

    [Theory]
    [InlineData("", "Checksum is required")]
    [InlineData("Checksum = \"abc\"", "malformed Checksum \"abc\"")]
    [InlineData("Checksum = \"sha256:xyz\"", "a sha256 digest is 64 hex digits")]
    [InlineData("Checksum = \"crc32:abcdabcd\"", "unsupported checksum algorithm \"crc32\"")]
    public void A_missing_or_malformed_checksum_is_a_configuration_error(string setting, string expected)
    {
        var result = Deploy($$"""Add(new Download("{{_server.Url}}/files/payload.bin") { {{setting}} });""");
        Assert.False(result.Success);
        Assert.Contains(expected, result.Error("ConfigurationError").Message);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("ftp://example.com/x.bin", "not an http, https or file:// URL")]
    [InlineData("http://127.0.0.1:1/", "cannot name the file after the URL; set Target")]
    public void Unsupported_urls_are_configuration_errors(string url, string expected)
    {
        var result = Deploy($$"""Add(new Download("{{url}}") { Checksum = "{{s_sha256}}" });""");
        Assert.Contains(expected, result.Error("ConfigurationError").Message);
    }

    public void Dispose()
    {
        _server.Dispose();
        _repo.Dispose();
    }
}

/// <summary>A minimal HTTP/1.1 server on 127.0.0.1 (free port): serves <see cref="Files"/>, 404 otherwise.</summary>
internal sealed class TinyHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public sealed record Request(string Path, string? Authorization);

    public TinyHttpServer()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = Task.Run(AcceptLoop);
    }

    public string Url { get; }
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();
    public ConcurrentQueue<Request> Requests { get; } = new();

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
        using (client)
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            var requestLine = await reader.ReadLineAsync() ?? "";
            string? authorization = null;
            string? line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
                if (line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
                    authorization = line["Authorization:".Length..].Trim();
            var path = requestLine.Split(' ').ElementAtOrDefault(1) ?? "/";
            Requests.Enqueue(new Request(path, authorization));
            var found = Files.TryGetValue(path, out var body);
            body ??= Encoding.ASCII.GetBytes("not found\n");
            var header = $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Length: {body.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
            await stream.WriteAsync(body);
            await stream.FlushAsync();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
