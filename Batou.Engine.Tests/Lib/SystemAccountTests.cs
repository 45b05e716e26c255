using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>Real useradd/groupadd with throwaway names (the tests run as root), removed afterwards.</summary>
public sealed class SystemAccountTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _user = "bt" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _group = "btg" + Guid.NewGuid().ToString("N")[..9];

    private static string? Getent(string database, string name)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getent", [database, name]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : null;
    }

    private DeploymentResult Deploy(string shell = "/usr/sbin/nologin", Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("accounts", $$"""
            public class Accounts : Component
            {
                protected override void Configure()
                {
                    Add(new SystemGroup("{{_group}}"));
                    Add(new SystemUser("{{_user}}") { Group = "{{_group}}", Shell = "{{shell}}", Home = "/var/lib/{{_user}}" });
                }
            }
            """).LocalEnvironment("accounts");
        return _repo.Deploy(mode: mode);
    }

    [Fact]
    public void User_and_group_are_created_once_and_a_changed_shell_is_altered()
    {
        var predicted = Deploy(mode: Engine.Api.DeploymentMode.Predict);
        Assert.True(predicted.Success, predicted.ToString());
        Assert.Equal(2, predicted.Updated.Count);
        Assert.Null(Getent("passwd", _user));

        var first = Deploy();
        Assert.True(first.Success, first.ToString());
        var group = Getent("group", _group)!.Split(':');
        var user = Getent("passwd", _user)!.Split(':');
        Assert.Equal(group[2], user[3]);
        Assert.Equal($"/var/lib/{_user}", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        Assert.True(int.Parse(user[2]) < 1000, "a system user");
        Assert.True(Directory.Exists($"/var/lib/{_user}"));

        Assert.Empty(Deploy().Updated);

        var changed = Deploy(shell: "/bin/sh");
        Assert.True(changed.Success, changed.ToString());
        Assert.Contains(changed.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == $"user {_user}: shell is /usr/sbin/nologin, wanted /bin/sh");
        Assert.Equal("/bin/sh", Getent("passwd", _user)!.Split(':')[6]);
    }

    [Fact]
    public void A_bad_name_is_a_configuration_error()
    {
        _repo.Component("accounts", """
            public class Accounts : Component
            {
                protected override void Configure() => Add(new SystemUser("Bad User"));
            }
            """).LocalEnvironment("accounts");
        Assert.Contains("SystemUser(\"Bad User\"): not a valid name", _repo.Deploy().Error("ConfigurationError").Message);
    }

    public void Dispose()
    {
        foreach (var (program, name) in new[] { ("userdel", "--remove " + _user), ("groupdel", _group) })
            System.Diagnostics.Process.Start("/bin/sh", ["-c", $"{program} {name} >/dev/null 2>&1"])!.WaitForExit();
        _repo.Dispose();
    }
}
