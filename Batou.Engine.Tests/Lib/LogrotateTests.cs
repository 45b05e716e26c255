using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>Validated by the real <c>logrotate -d</c>; the file lives in the workdir instead of /etc/logrotate.d.</summary>
public sealed class LogrotateTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private string ConfigPath => _repo.Work("app/shop.logrotate");

    private DeploymentResult Deploy(string options, Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("app", $$"""
            public class App : Component
            {
                protected override void Configure() => Add(new Logrotate("shop", "shop.logrotate") { {{options}} });
            }
            """).LocalEnvironment("app");
        return _repo.Deploy(mode: mode);
    }

    [Fact]
    public void A_generated_config_passes_logrotate_even_before_the_logs_exist_and_a_second_deploy_changes_nothing()
    {
        var logs = _repo.Work("app/logs/*.log");
        var first = Deploy($"Logs = [\"{logs}\"], Rotate = 7, Postrotate = \"supervisorctl signal HUP shop\"");
        Assert.True(first.Success, first.ToString());
        var text = File.ReadAllText(ConfigPath);
        Assert.StartsWith($"{logs} {{\n    daily\n    rotate 7\n    missingok\n", text);
        Assert.Contains("    postrotate\n        supervisorctl signal HUP shop\n    endscript\n", text);
        var mtime = File.GetLastWriteTimeUtc(ConfigPath);

        Assert.Empty(Deploy($"Logs = [\"{logs}\"], Rotate = 7, Postrotate = \"supervisorctl signal HUP shop\"").Updated);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(ConfigPath));
    }

    [Fact]
    public void A_config_logrotate_rejects_is_rolled_back_with_logrotates_message()
    {
        var logs = _repo.Work("app/logs/*.log");
        Assert.True(Deploy($"Logs = [\"{logs}\"]").Success);
        var good = File.ReadAllText(ConfigPath);

        var bad = Deploy($"Content = \"{logs} {{\\n    dayly\\n}}\\n\"");
        Assert.False(bad.Success);
        var error = bad.Errors.Single(e => e.Kind == "ComponentFailed");
        var message = error.Message + "\n" + error.Body;
        Assert.Contains("unknown option 'dayly'", message);
        Assert.Contains("the previous file was restored", message);
        Assert.Equal(good, File.ReadAllText(ConfigPath));
    }

    [Fact]
    public void Without_logs_or_a_template_it_is_a_configuration_error()
    {
        Assert.Contains("Logrotate(\"shop\"): set Logs", Deploy("Rotate = 3").Error("ConfigurationError").Message);
    }

    public void Dispose() => _repo.Dispose();
}
