using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class HttpHealthCheckTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly HealthServer _server = new();

    private DeploymentResult Deploy(string options = "", Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("probe", $$"""
            public class Probe : Component
            {
                protected override void Configure() => Add(new HttpHealthCheck("{{_server.Url}}") { Timeout = TimeSpan.FromSeconds(2){{options}} });
            }
            """).LocalEnvironment("probe");
        return _repo.Deploy(mode: mode);
    }

    [Fact]
    public void A_healthy_url_passes_and_reports_no_change()
    {
        var result = Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.Empty(result.Updated);
        Assert.NotEmpty(_server.Requests);
    }

    [Fact]
    public void An_unhealthy_url_fails_naming_the_url_and_the_last_response()
    {
        _server.Answer = () => (503, "database is down");
        var result = Deploy();
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Contains(_server.Url, error.Message + error.Body);
        Assert.Contains("HTTP 503 database is down", error.Message + error.Body);
    }

    [Fact]
    public void Contains_and_status_are_checked()
    {
        _server.Answer = () => (200, "starting");
        Assert.False(Deploy(""", Contains = "ready" """).Success);
        _server.Answer = () => (204, "");
        Assert.False(Deploy(", Status = 200").Success);
        Assert.True(Deploy(", Status = 204").Success);
    }

    [Fact]
    public void Predicting_does_not_probe()
    {
        _server.Answer = () => (500, "down");
        var result = Deploy(mode: Engine.Api.DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void A_non_http_url_is_a_configuration_error()
    {
        _repo.Component("probe", """
            public class Probe : Component
            {
                protected override void Configure() => Add(new HttpHealthCheck("ftp://example.org/x"));
            }
            """).LocalEnvironment("probe");
        var result = _repo.Deploy();
        Assert.Contains("is not an http or https URL", result.Error("ConfigurationError").Message);
    }

    public void Dispose()
    {
        _server.Dispose();
        _repo.Dispose();
    }
}
