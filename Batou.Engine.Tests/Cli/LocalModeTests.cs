using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

/// <summary>
/// <c>batou deploy -L</c>: an ssh environment (hosts that do not exist) configured and predicted on
/// this machine without connecting anywhere (reference §5.1, scenarios #12, #13, #19).
/// </summary>
public sealed class LocalModeTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public LocalModeTests()
    {
        _repo.Component("hello", """
                public sealed class Hello : Component
                {
                    public string Greeting { get; set; } = "Hello";
                    protected override void Configure() => Add(new File("hello") { Content = $"{Greeting} from {Host.Fqdn}\n" });
                }
                """)
            .Environment("production", """
                [environment]
                host_domain = unreachable.invalid
                target_directory = ~/nowhere

                [hosts]
                web2 = hello
                web1 = hello

                [component:hello]
                greeting = Moin
                """);
    }

    [Fact]
    public void Predict_local_predicts_every_host_of_an_ssh_environment_without_connecting_or_writing()
    {
        var (code, output, stderr) = Fixtures.Cli.Run(_repo.Root, "deploy", "-P", "-L", "production");

        Assert.True(code == 0, output + stderr);
        Assert.Contains("🌐 web2: Connecting via local (1/2)", output);
        Assert.Contains("🌐 web1: Connecting via local (2/2)", output);
        Assert.DoesNotContain("via ssh", output);
        Assert.Contains("+Moin from web1.unreachable.invalid", output);
        Assert.Contains("+Moin from web2.unreachable.invalid", output);
        Assert.Contains("DEPLOYMENT PREDICTION (local) FINISHED", output);
        Assert.False(File.Exists(_repo.Work("hello/hello")), "predicting writes nothing");
    }

    [Fact]
    public void Consistency_local_checks_in_a_local_section_and_lists_no_connections()
    {
        var (code, output, stderr) = Fixtures.Cli.Run(_repo.Root, "deploy", "--consistency-only", "--local", "production");

        Assert.True(code == 0, output + stderr);
        Assert.Contains("LOCAL CONSISTENCY CHECK", output);
        Assert.DoesNotContain("Connecting via", output);
        Assert.Contains("CONSISTENCY CHECK (local) FINISHED", output);
    }

    [Fact]
    public void Consistency_local_still_reports_configuration_errors()
    {
        _repo.Write("environments/production/environment.cfg", _repo.Read("environments/production/environment.cfg") + "\nnosuchsetting = 1\n");

        var (code, output, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "-c", "-L", "production");

        Assert.Equal(1, code);
        Assert.Contains("nosuchsetting", output);
        Assert.Contains("CONSISTENCY CHECK (local) FAILED", output);
    }

    [Fact]
    public void Local_alone_is_refused_with_batous_message()
    {
        var (code, output, stderr) = Fixtures.Cli.Run(_repo.Root, "deploy", "-L", "production");

        Assert.Equal(1, code);
        Assert.Contains("ERROR: The --local option is only to be used with --consistency-only or --predict-only.", output + stderr);
        Assert.False(Directory.Exists(_repo.Work()), "nothing was loaded or deployed");
    }

    [Fact]
    public async Task The_engine_refuses_a_local_deployment_request_too()
    {
        var result = await TestRepository.DeployAsync(new DeploymentRequest(_repo.Root, "production") { Local = true });

        Assert.False(result.Success);
        Assert.Equal(DeploymentRequest.LocalNeedsCheckOrPredict, result.Error("InvalidRequest").Message);
    }

    public void Dispose() => _repo.Dispose();
}
