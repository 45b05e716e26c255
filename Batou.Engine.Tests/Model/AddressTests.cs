using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Model;

public sealed class AddressTests
{
    [Theory]
    [InlineData("localhost:8080", "localhost", 8080, "localhost:8080")]
    [InlineData("[::1]:80", "::1", 80, "[::1]:80")]
    [InlineData("127.0.0.1:9000", "127.0.0.1", 9000, "127.0.0.1:9000")]
    public void Parses_host_and_port(string text, string host, int port, string shown)
    {
        var address = Address.Parse(text);
        Assert.Equal(new NetLoc(host, port), address.Connect);
        Assert.Equal(shown, address.ToString());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:http")]
    [InlineData("localhost:70000")]
    public void Rejects_addresses_without_a_valid_port(string text) =>
        Assert.Throws<FormatException>(() => Address.Parse(text));

    [Fact]
    public void Listen_resolves_ipv4_and_ipv6_literals()
    {
        Assert.Equal(new NetLoc("127.0.0.1", 8080), Address.Parse("127.0.0.1:8080").Listen);
        Assert.Null(new Address("127.0.0.1:8080", requireV6: "optional").ListenV6);
        Assert.Equal(new NetLoc("::1", 8080), new Address("[::1]:8080", requireV4: "optional", requireV6: "true").ListenV6);
        Assert.Throws<ConfigurationError>(() => Address.Parse("[::1]:8080").ListenV6);   // IPv6 is not required by default
    }

    [Fact]
    public void An_address_setting_is_converted_from_the_environment_and_a_bad_one_is_reported()
    {
        using var repo = new TestRepository();
        repo.Component("app", "public sealed class App : Component { public Address Listen { get; set; } = new(\"localhost:80\"); protected override void Configure() => Add(new File(\"addr\") { Content = Listen.Connect.ToString() }); }")
            .LocalEnvironment("app", "[component:app]\nlisten = 127.0.0.1:9090\n");
        var result = repo.Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.Equal("127.0.0.1:9090", repo.Read("work/app/addr"));

        repo.LocalEnvironment("app", "[component:app]\nlisten = 127.0.0.1\n");
        var bad = repo.Deploy();
        var error = bad.Error("ConversionError");
        Assert.Contains(error.Details, d => d.Label == "Problem" && d.Value.Contains("has no port", StringComparison.Ordinal));
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void Resolver_overrides_and_address_family_requirements_apply_to_listen_addresses()
    {
        using var repo = new TestRepository();
        repo.Component("app", """
            public sealed class App : Component
            {
                public Address Service { get; set; } = new("backend.internal:8080");
                public Address Optional { get; set; } = new("no-such-host.invalid:80", requireV4: "optional");
                protected override void Configure() =>
                    Add(new File("listen") { Content = $"{Service.Listen} {Service.ListenV6} [{Optional.Listen}]" });
            }
            """).Environment("test", "[environment]\nconnect_method = local\nrequire_v6 = true\n[hosts]\nlocalhost = app\n[resolver]\nbackend.internal =\n    127.0.0.2\n    ::2\n");
        var result = repo.Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.Equal("127.0.0.2:8080 [::2]:8080 []", repo.Read("work/app/listen"));

        repo.Environment("test", "[environment]\nconnect_method = local\n[hosts]\nlocalhost = app\n[resolver]\nbackend.internal = 127.0.0.2\n");
        var unconfigured = repo.Deploy();
        Assert.False(unconfigured.Success);
        Assert.Contains(unconfigured.Errors, e => e.Message.Contains("Trying to access address family IPv6 which is not configured for backend.internal:8080", StringComparison.Ordinal));
    }
}
