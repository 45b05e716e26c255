using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;
using Batou.Lib.Native;

namespace Batou.Engine.Tests.Lib;

public sealed class OwnerGroupTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly List<string> _cleanup = [];

    private DeploymentResult Deploy(string body, DeploymentMode mode = DeploymentMode.Deploy)
    {
        _repo.Component("perms", $$"""
            public class Perms : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            """).LocalEnvironment("perms");
        return _repo.Deploy(mode: mode);
    }

    private string WorkFile(string name) => _repo.Work("perms/" + name);

    [Fact]
    public void Owner_and_group_by_name_converge_and_a_second_deploy_changes_nothing()
    {
        const string body = """
            Add(new File("data") { Content = "" });
            Add(new Owner("data") { Name = "daemon" });
            Add(new Group("data") { Name = "nogroup" });
            """;
        var first = Deploy(body);
        Assert.True(first.Success, first.ToString());
        Assert.Contains(first.Updated, b => b.EndsWith("Owner('work/perms/data')", StringComparison.Ordinal));
        Assert.Contains(first.Updated, b => b.EndsWith("Group('work/perms/data')", StringComparison.Ordinal));
        Assert.Equal((1u, 65534u), Posix.OwnerOf(WorkFile("data")));
        var mtime = System.IO.File.GetLastWriteTimeUtc(WorkFile("data"));

        var second = Deploy(body);
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(mtime, System.IO.File.GetLastWriteTimeUtc(WorkFile("data")));
    }

    [Fact]
    public void Owner_changes_only_the_user_and_group_only_the_group()
    {
        var first = Deploy("""
            Add(new File("a") { Content = "" });
            Add(new File("b") { Content = "" });
            Add(new Owner("a") { Name = "daemon" });
            Add(new Group("b") { Name = "daemon" });
            """);
        Assert.True(first.Success, first.ToString());
        Assert.Equal((1u, 0u), Posix.OwnerOf(WorkFile("a")));
        Assert.Equal((0u, 1u), Posix.OwnerOf(WorkFile("b")));
    }

    [Fact]
    public void Numeric_ids_are_used_when_no_such_name_exists()
    {
        var result = Deploy("""
            Add(new File("data") { Content = "" });
            Add(new Owner("data") { Name = "48213" });
            Add(new Group("data") { Name = "48214" });
            """);
        Assert.True(result.Success, result.ToString());
        Assert.Equal((48213u, 48214u), Posix.OwnerOf(WorkFile("data")));
        Assert.Contains(result.Of<ComponentNeedsUpdate>(), e => e.Reason == "owner is uid 0, wanted 48213 (uid 48213)");
    }

    [Fact]
    public void A_symlink_itself_changes_owner_not_its_target()
    {
        var result = Deploy("""
            Add(new File("target") { Content = "" });
            Add(new Symlink("link") { Source = "target" });
            Add(new Owner("link") { Name = "daemon" });
            Add(new Group("link") { Name = "nogroup" });
            """);
        Assert.True(result.Success, result.ToString());
        Assert.Equal((1u, 65534u), Posix.OwnerOf(WorkFile("link")));
        Assert.Equal((0u, 0u), Posix.OwnerOf(WorkFile("target")));
    }

    [Fact]
    public void A_user_and_group_created_earlier_in_the_same_deployment_are_resolved_lazily()
    {
        var name = "bt" + Guid.NewGuid().ToString("N")[..10];
        _cleanup.Add(name);
        _repo.Component("perms", $$"""
            public class MakeUser : Component
            {
                protected override void Verify() => AssertCmd("id -u {{name}}");
                protected override void Update() => Cmd("groupadd {{name}} && useradd -M -N -g {{name}} {{name}}");
            }
            """, "makeuser.cs");
        var result = Deploy($$"""
            Add(new MakeUser());
            Add(new File("data") { Content = "" });
            Add(new Owner("data") { Name = "{{name}}" });
            Add(new Group("data") { Name = "{{name}}" });
            """);
        Assert.True(result.Success, result.ToString());
        var uid = uint.Parse(Run("id", "-u", name).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var gid = uint.Parse(Run("id", "-g", name).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0u, uid);
        Assert.Equal((uid, gid), Posix.OwnerOf(WorkFile("data")));
    }

    [Fact]
    public void An_unknown_user_fails_naming_the_component_and_the_user()
    {
        var result = Deploy("""
            Add(new File("data") { Content = "" });
            Add(new Owner("data") { Name = "batou-no-such-user" });
            """);
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Equal("Owner('work/perms/data'): unknown user 'batou-no-such-user'", error.Message);
        Assert.Equal((0u, 0u), Posix.OwnerOf(WorkFile("data")));
    }

    [Fact]
    public void An_unknown_group_fails_naming_the_component_and_the_group()
    {
        var result = Deploy("""
            Add(new File("data") { Content = "" });
            Add(new Group("data") { Name = "batou-no-such-group" });
            """);
        Assert.False(result.Success);
        Assert.Equal("Group('work/perms/data'): unknown group 'batou-no-such-group'", result.Error("ComponentFailed").Message);
    }

    [Fact]
    public void Predicting_with_a_user_that_does_not_exist_yet_reports_an_update_instead_of_failing()
    {
        var result = Deploy("""
            Add(new File("data") { Content = "" });
            Add(new Owner("data") { Name = "batou-no-such-user" });
            """, DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Contains(result.Of<ComponentNeedsUpdate>(), e => e.Reason == "user 'batou-no-such-user' does not exist yet");
    }

    [Fact]
    public void An_empty_name_is_a_configuration_error()
    {
        var result = Deploy("""
            Add(new File("data") { Content = "" });
            Add(new Owner("data"));
            """);
        Assert.False(result.Success);
        Assert.Contains("Owner('work/perms/data') needs a Name", result.Error("ConfigurationError").Message);
    }

    [Fact]
    public void A_missing_path_fails_with_a_clear_error()
    {
        var result = Deploy("""Add(new Owner("missing") { Name = "daemon" });""");
        Assert.False(result.Success);
        Assert.Contains("Cannot set the owner of", result.Error("ComponentFailed").Message);
        Assert.Contains("does not exist", result.Error("ComponentFailed").Message);
    }

    private static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    public void Dispose()
    {
        foreach (var name in _cleanup)
        {
            Run("userdel", name);
            Run("groupdel", name);
        }
        _repo.Dispose();
    }
}
