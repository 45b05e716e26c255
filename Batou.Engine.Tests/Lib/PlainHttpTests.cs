using System.Text;
using Batou.Engine.Tests.Fixtures;
using Batou.Lib.Internal;

namespace Batou.Engine.Tests.Lib;

/// <summary>
/// The health probe's plain-http GET: it answers for clean replies of a real server, and returns
/// null (HttpClient then asks) for anything it does not read the way HttpClient would.
/// </summary>
public sealed class PlainHttpTests : IDisposable
{
    private readonly HealthServer _server = new();

    [Fact]
    public void A_real_server_answers_with_status_and_body_over_HTTP_1_0()
    {
        _server.Answer = () => (503, "not yet ünïcode");
        var reply = PlainHttp.Get(new Uri(_server.Url + "?probe=1"), TimeSpan.FromSeconds(5), default);
        Assert.Equal<(int, string)?>((503, "not yet ünïcode"), reply);
        Assert.Equal("GET /health?probe=1 HTTP/1.0", Assert.Single(_server.Requests));
    }

    [Fact]
    public void A_refused_connection_https_and_user_info_are_left_to_HttpClient()
    {
        Assert.Null(PlainHttp.Get(new Uri($"http://127.0.0.1:{Examples.FreePort()}/health"), TimeSpan.FromSeconds(5), default));
        Assert.Null(PlainHttp.Get(new Uri(_server.Url.Replace("http:", "https:")), TimeSpan.FromSeconds(5), default));
        Assert.Null(PlainHttp.Get(new Uri(_server.Url.Replace("http://", "http://user:secret@")), TimeSpan.FromSeconds(5), default));
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nHealthy", 200, "Healthy")]
    [InlineData("HTTP/1.0 204 No Content\r\n\r\n", 204, "")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nokayEXTRA", 200, "okay")]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nServer: x\r\n\r\nboom\r\n", 500, "boom\r\n")]
    public void Clean_replies_are_read(string reply, int status, string body) =>
        Assert.Equal<(int, string)?>((status, body), PlainHttp.Parse(Encoding.UTF8.GetBytes(reply)));

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nHealthy\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nxx")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\nok")]
    [InlineData("HTTP/2 200\r\n\r\nok")]
    [InlineData("ICY 200 OK\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nbroken header\r\n\r\nok")]
    public void Anything_else_is_left_to_HttpClient(string reply) =>
        Assert.Null(PlainHttp.Parse(Encoding.UTF8.GetBytes(reply)));

    public void Dispose() => _server.Dispose();
}
