using Batou.Engine.Api;

namespace Batou.Engine.Tests.Secrets;

/// <summary>A secret that cannot be converted to its setting's type is named by key; its value appears nowhere.</summary>
public sealed class ConversionSecretTests : SecretsTestBase
{
    private const string Typed = """
        public sealed class Typed : Component
        {
            public int Pin { get; set; }
            public bool Enabled { get; set; }
            public TimeSpan Wait { get; set; }
            public Uri Endpoint { get; set; } = new("http://localhost/");
            protected override void Configure() => Add(new File("typed") { Content = $"{Pin} {Enabled} {Wait} {Endpoint}\n" });
        }
        """;

    private readonly string _canary = "canary" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Conversion_errors_of_secrets_name_the_key_never_the_value()
    {
        Repo.Component("typed", Typed).LocalEnvironment("typed");
        WriteSecrets($"[component:typed]\npin = {_canary}\nenabled = {_canary}\nwait = {_canary}\nendpoint = http://[{_canary}\n");
        var describe = BatouEngine.Describe(Repo.Root, "test");
        var deploy = Repo.Deploy();
        var (code, stdout, stderr) = SecretsCli.Run(Repo.Root, null, null, "deploy", "test");

        Assert.False(deploy.Success);
        Assert.Equal(1, code);
        foreach (var key in new[] { "pin", "enabled", "wait", "endpoint" })
        {
            Assert.Contains(deploy.Errors, e => e.Message == $"Cannot convert the value of setting `{key}`");
            Assert.Contains(describe.Errors, e => e.Message == $"Cannot convert the value of setting `{key}`");
            Assert.Contains($"ERROR: Cannot convert the value of setting `{key}`", stdout);
        }
        var texts = describe.Errors.Concat(deploy.Errors)
            .SelectMany(e => new[] { e.Message, e.Body ?? "" }.Concat(e.Details.Select(d => d.Value))).ToList();
        // the raw value, and no trace of the event stream's masking either: the error never held it
        Assert.All(texts, t => Assert.DoesNotContain(_canary, t));
        Assert.All(texts, t => Assert.DoesNotContain("********", t));
        Assert.DoesNotContain(_canary, describe.ToString());
        Assert.DoesNotContain(_canary, stdout + stderr);
    }
}
