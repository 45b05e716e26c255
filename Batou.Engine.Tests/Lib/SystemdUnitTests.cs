using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>
/// systemd is not PID 1 here: unit files and <c>systemd-analyze verify</c> are real, every
/// <c>systemctl</c> call goes through the component's seam to a script that records it and keeps
/// enabled/active state in files.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private string Units => _repo.Work("app/units");

    private string State => _repo.PathOf("systemctl-state");

    private string FakeSystemctl => _repo.PathOf("systemctl");

    public SystemdUnitTests()
    {
        Directory.CreateDirectory(State);
        File.WriteAllText(FakeSystemctl, $$"""
            #!/bin/sh
            echo "$*" >> {{State}}/calls.log
            case "$1" in
              is-enabled) test -f {{State}}/enabled-$2 ;;
              is-active) test -f {{State}}/active-$2 && ! test -f {{State}}/broken-$2 ;;
              enable) touch {{State}}/enabled-$2 ;;
              start|restart) touch {{State}}/active-$2 ;;
              status) echo "$3 - failed (Result: exit-code)" ;;
              daemon-reload) ;;
              *) exit 1 ;;
            esac
            """);
        File.SetUnixFileMode(FakeSystemctl, (UnixFileMode)0b111_101_101);
    }

    private string[] Calls => File.Exists(Path.Combine(State, "calls.log")) ? File.ReadAllLines(Path.Combine(State, "calls.log")) : [];

    private DeploymentResult Deploy(string exec = "/bin/sleep 600", string appContent = "v1", Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("app", $$"""
            public class App : Component
            {
                protected override void Configure()
                {
                    Add(new Directory("units"));
                    var app = Add(new File("app.dll") { Content = "{{appContent}}" });
                    Add(new Service("shop", "units/shop.service")
                    {
                        ExecStart = "{{exec}}", User = "root", WorkingDirectory = "/tmp", EnvironmentVariables = ["ASPNETCORE_URLS=http://127.0.0.1:5000"],
                        Systemctl = "{{FakeSystemctl}}", Watch = [app],
                    });
                }
            }
            """).LocalEnvironment("app");
        return _repo.Deploy(mode: mode);
    }

    [Fact]
    public void Systemctl_through_seam_a_new_service_is_verified_reloaded_enabled_and_started_then_left_alone()
    {
        var first = Deploy();
        Assert.True(first.Success, first.ToString());
        var unit = File.ReadAllText(Path.Combine(Units, "shop.service"));
        Assert.Contains("ExecStart=/bin/sleep 600\n", unit);
        Assert.Contains("Environment=\"ASPNETCORE_URLS=http://127.0.0.1:5000\"\n", unit);
        Assert.Equal(["daemon-reload", "is-enabled shop.service", "enable shop.service", "restart shop.service", "is-active shop.service"], Calls);

        var second = Deploy();
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.DoesNotContain(Calls.Skip(5), c => c.StartsWith("restart") || c.StartsWith("start") || c == "daemon-reload");
    }

    [Fact]
    public void Systemctl_through_seam_a_watched_change_restarts_without_daemon_reload()
    {
        Assert.True(Deploy().Success);
        var before = Calls.Length;
        var result = Deploy(appContent: "v2");
        Assert.True(result.Success, result.ToString());
        var calls = Calls.Skip(before).ToList();
        Assert.Contains("restart shop.service", calls);
        Assert.DoesNotContain("daemon-reload", calls);
    }

    [Fact]
    public void Systemctl_through_seam_an_inactive_service_is_started_and_one_that_stays_down_fails_with_its_status()
    {
        Assert.True(Deploy().Success);
        File.Delete(Path.Combine(State, "active-shop.service"));
        var started = Deploy();
        Assert.True(started.Success, started.ToString());
        Assert.Contains(started.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == "shop.service is not active");
        Assert.Equal("start shop.service", Calls.Reverse().Skip(1).First());

        File.WriteAllText(Path.Combine(State, "broken-shop.service"), "");
        var failed = Deploy();
        Assert.False(failed.Success);
        var error = failed.Errors.Single(e => e.Kind == "ComponentFailed");
        Assert.Contains("shop.service is not active after starting it", error.Message + error.Body);
        Assert.Contains("failed (Result: exit-code)", error.Message + error.Body);
    }

    [Fact]
    public void A_unit_systemd_analyze_rejects_is_rolled_back_and_systemctl_is_never_called()
    {
        Assert.True(Deploy().Success);
        var good = File.ReadAllText(Path.Combine(Units, "shop.service"));
        var before = Calls.Length;
        var bad = Deploy(exec: "/nonexistent/shop");
        Assert.False(bad.Success);
        var error = bad.Errors.Single(e => e.Kind == "ComponentFailed");
        Assert.Contains("systemd-analyze verify", error.Message + error.Body);
        Assert.Contains("/nonexistent/shop", error.Message + error.Body);
        Assert.Equal(good, File.ReadAllText(Path.Combine(Units, "shop.service")));
        Assert.DoesNotContain(Calls.Skip(before), c => c is "daemon-reload" || c.StartsWith("restart"));
    }

    [Fact]
    public void Predicting_a_new_service_writes_nothing_and_changes_nothing()
    {
        var result = Deploy(mode: Engine.Api.DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Contains("App > Service('shop.service')", result.Updated);
        Assert.False(File.Exists(Path.Combine(Units, "shop.service")));
        Assert.All(Calls, c => Assert.StartsWith("is-", c));
    }

    public void Dispose() => _repo.Dispose();
}
