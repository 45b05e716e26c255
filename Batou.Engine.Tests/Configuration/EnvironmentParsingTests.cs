using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Configuration;

/// <summary>environment.cfg read on its own: settings, hosts, component lists, resolver (reference §2, scenarios #22–#28).</summary>
public sealed class EnvironmentParsingTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private (EnvironmentConfig? Config, List<BatouError> Errors, List<BatouError> Warnings) Load(string cfg)
    {
        _repo.Environment("env", cfg);
        var errors = new List<BatouError>();
        var warnings = new List<BatouError>();
        var config = EnvironmentLoader.Load(_repo.Root, "env", errors, warnings);
        return (config, errors, warnings);
    }

    private static HostConfig HostNamed(EnvironmentConfig config, string name) => config.Hosts.Single(h => h.Host.Name == name);

    [Fact]
    public void Environment_settings_are_read_and_a_host_section_overrides_the_service_user()
    {
        var (config, errors, _) = Load("""
            [environment]
            service_user = joe
            host_domain = example.com
            branch = release
            require_v4 = optional
            require_v6 = True
            jobs = 3
            timeout = 30

            [host:foo1]
            service_user = bob
            data-alias = fooalias
            components = hello

            [host:foo2]
            components = hello
            """);
        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal("joe", config.Settings.ServiceUser);
        Assert.Equal("example.com", config.Settings.HostDomain);
        Assert.Equal("release", config.Settings.Branch);
        Assert.Equal("optional", config.Settings.RequireV4);
        Assert.Equal("true", config.Settings.RequireV6);
        Assert.Equal(3, config.Settings.Jobs);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Settings.Timeout);
        // host_domain is the default platform
        Assert.Equal("example.com", config.Settings.Platform);
        var foo1 = HostNamed(config, "foo1").Host;
        Assert.Equal("bob", foo1.ServiceUser);
        Assert.Equal("foo1.example.com", foo1.Fqdn);
        Assert.Equal("fooalias", foo1.Data["alias"]);
        Assert.Equal("joe", HostNamed(config, "foo2").Host.ServiceUser);
    }

    [Fact]
    public void Component_lists_may_be_comma_separated_or_one_per_line()
    {
        var (config, errors, _) = Load("""
            [environment]
            connect_method = local

            [hosts]
            localhost = hello1, hello2
            otherhost = hello3
                        hello4
            thirdhost =
                hello5
                hello6

            [host:fourth]
            components =
                hello7,
                hello8
            """);
        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal(["hello1", "hello2"], HostNamed(config, "localhost").Components.Select(c => c.Name));
        Assert.Equal(["hello3", "hello4"], HostNamed(config, "otherhost").Components.Select(c => c.Name));
        Assert.Equal(["hello5", "hello6"], HostNamed(config, "thirdhost").Components.Select(c => c.Name));
        Assert.Equal(["hello7", "hello8"], HostNamed(config, "fourth").Components.Select(c => c.Name));
    }

    [Fact]
    public void Repeated_components_merge_features_and_one_bang_ignores_the_component()
    {
        var (config, errors, _) = Load("""
            [hosts]
            localhost = !asdf:test, asdf:bar, plain, other:x
            !ignoredhost = fail2
            """);
        Assert.Empty(errors);
        Assert.NotNull(config);
        var components = HostNamed(config, "localhost").Components;
        var asdf = Assert.Single(components, c => c.Name == "asdf");
        Assert.Equal(["test", "bar"], asdf.Features);
        Assert.True(asdf.Ignore);
        var plain = Assert.Single(components, c => c.Name == "plain");
        Assert.Null(plain.Features);
        Assert.False(plain.Ignore);
        Assert.Equal(["x"], Assert.Single(components, c => c.Name == "other").Features);
        var ignored = HostNamed(config, "ignoredhost");
        Assert.True(ignored.Host.Ignore);
        Assert.Equal("fail2", Assert.Single(ignored.Components).Name);
    }

    [Fact]
    public void A_host_in_hosts_and_in_a_host_section_is_a_DuplicateHostError_naming_host_and_both_lines()
    {
        var (_, errors, _) = Load("""
            [environment]
            connect_method = local

            [hosts]
            foo = bar

            [host:foo]
            components = bar
            """);
        var error = Assert.Single(errors);
        Assert.Equal("DuplicateHostError", error.Kind);
        Assert.Equal("foo", error.Host);
        Assert.Equal(Path.Combine("environments", "env", "environment.cfg"), error.File);
        Assert.Equal(7, error.Line);
        Assert.Contains(error.Details, d => d.Value.EndsWith("environment.cfg:5", StringComparison.Ordinal));
        Assert.Contains(error.Details, d => d.Value.EndsWith("environment.cfg:7", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ignored_and_a_normal_entry_for_the_same_host_are_a_DuplicateHostError()
    {
        var (_, errors, _) = Load("""
            [hosts]
            foo = bar
            !foo = baz
            """);
        var error = Assert.Single(errors);
        Assert.Equal("DuplicateHostError", error.Kind);
        Assert.Equal("foo", error.Host);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Resolver_entries_give_ipv4_and_ipv6_overrides()
    {
        var (config, errors, _) = Load("""
            [hosts]
            localhost = hello

            [resolver]
            localhost =
                127.0.0.2
                ::2
            """);
        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal(["127.0.0.2", "::2"], config.Resolver["localhost"]);
    }

    [Fact]
    public void An_invalid_resolver_address_is_exactly_one_InvalidIPAddressError_with_address_and_line()
    {
        var (_, errors, _) = Load("""
            [hosts]
            localhost = hello

            [resolver]
            localhost =
                thisisinvalid
                127.0.0.2
            other = 1234
            """);
        Assert.Equal(2, errors.Count);
        var first = errors[0];
        Assert.Equal("InvalidIPAddressError", first.Kind);
        Assert.Contains(first.Details, d => d is { Label: "Address", Value: "thisisinvalid" });
        Assert.Equal("localhost", first.Host);
        Assert.Equal(5, first.Line);
        // a bare number is not an address, even though IPAddress.TryParse would accept it
        Assert.Contains(errors[1].Details, d => d is { Label: "Address", Value: "1234" });
        Assert.Equal(8, errors[1].Line);
    }

    [Fact]
    public void An_unknown_section_is_a_SuperfluousSection_error_with_its_line()
    {
        var (_, errors, _) = Load("""
            [hosts]
            localhost = hello

            [superfluoussection]
            asdf = 1
            """);
        var error = Assert.Single(errors);
        Assert.Equal("SuperfluousSection", error.Kind);
        Assert.Equal(4, error.Line);
        Assert.EndsWith("environment.cfg", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_case_sensitive_and_comments_do_not_become_part_of_values()
    {
        var (config, errors, _) = Load("""
            # leading comment
            [hosts]
            ; another comment
            Localhost = hello
            localhost = world
                # a comment line inside a value
                again
            """);
        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.Equal(["hello"], HostNamed(config, "Localhost").Components.Select(c => c.Name));
        Assert.Equal(["world", "again"], HostNamed(config, "localhost").Components.Select(c => c.Name));
    }

    public void Dispose() => _repo.Dispose();
}
