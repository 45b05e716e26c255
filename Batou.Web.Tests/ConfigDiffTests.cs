using Batou.Engine.Api;
using Batou.Web.Governance.Compare;

namespace Batou.Web.Tests;

/// <summary>The resolved configuration diff: settings after overrides per host and root, secrets only as changed/unchanged.</summary>
public sealed class ConfigDiffTests
{
    private static RootOverview Root(string host, string component, Dictionary<string, string> settings, Dictionary<string, string>? digests = null) =>
        new(host, component, false, [], settings, [], [], []) { SecretDigests = digests ?? [] };

    private static EnvironmentOverview Env(IReadOnlyList<HostOverview> hosts, params RootOverview[] roots) => new("e", hosts, roots, [], []);

    private static HostOverview Host(string name) => new(name, name, null, false, new Dictionary<string, string>());

    [Fact]
    public void Changed_settings_secrets_by_digest_and_added_or_removed_hosts_and_roots()
    {
        var before = Env([Host("a"), Host("b")],
            Root("a", "app", new() { ["port"] = "1", ["workers"] = "2", ["password"] = "********", ["token"] = "********" }, new() { ["password"] = "d1", ["token"] = "t1" }),
            Root("b", "proxy", new() { ["listen"] = "80" }));
        var after = Env([Host("a"), Host("c")],
            Root("a", "app", new() { ["port"] = "2", ["workers"] = "2", ["password"] = "********", ["token"] = "********", ["extra"] = "x" }, new() { ["password"] = "d2", ["token"] = "t1" }),
            Root("c", "proxy", new() { ["listen"] = "80" }));
        var diff = ConfigDiff.Between(before, after);
        Assert.Equal(["c"], diff.HostsAdded);
        Assert.Equal(["b"], diff.HostsRemoved);
        Assert.Equal(["c:proxy"], diff.RootsAdded);
        Assert.Equal(["b:proxy"], diff.RootsRemoved);
        var app = Assert.Single(diff.Scopes);
        Assert.Equal(("a", "app"), (app.Host, app.Component));
        Assert.Equal(["extra", "password", "port"], app.Changes.Select(c => c.Name));
        Assert.Equal(new SettingChange("port", "1", "2", false), app.Changes.Single(c => c.Name == "port"));
        Assert.Equal("added", app.Changes.Single(c => c.Name == "extra").Kind);
        var password = app.Changes.Single(c => c.Name == "password");
        Assert.True(password.Secret);
        Assert.Equal((ConfigDiff.Masked, ConfigDiff.Masked), (password.Before, password.After));
        Assert.Equal((1, 1), (app.Unchanged, app.SecretsUnchanged));
        Assert.False(diff.Empty);
    }

    [Fact]
    public void A_secret_value_never_reaches_the_diff_even_when_a_digest_is_missing()
    {
        var before = Env([Host("a")], Root("a", "app", new() { ["password"] = "********" }, new() { ["password"] = "d1" }));
        var after = Env([Host("a")], Root("a", "app", new() { ["password"] = "plain-looking" }));
        var change = Assert.Single(Assert.Single(ConfigDiff.Between(before, after).Scopes).Changes);
        Assert.True(change.Secret);
        Assert.DoesNotContain("plain-looking", change.Before + change.After);
    }

    [Fact]
    public void Equal_descriptions_are_empty()
    {
        var env = Env([Host("a")], Root("a", "app", new() { ["port"] = "1" }));
        Assert.True(ConfigDiff.Between(env, env).Empty);
    }
}
