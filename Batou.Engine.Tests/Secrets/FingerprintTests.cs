using Batou.Engine.Api;

namespace Batou.Engine.Tests.Secrets;

/// <summary>
/// The fingerprint of a resolved configuration: what an approval is bound to. It changes with any setting or
/// secret, never shows a secret, and stays the same for the same configuration and salt.
/// </summary>
public sealed class FingerprintTests : SecretsTestBase
{
    private const string Salt = "installation-salt";
    private readonly string _canary = "canary" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Same_configuration_and_salt_give_the_same_fingerprint_and_digests()
    {
        WriteSecrets($"[component:app]\npassword = {_canary}\n");
        var first = BatouEngine.Describe(Repo.Root, "test", Salt);
        var second = BatouEngine.Describe(Repo.Root, "test", Salt);

        Assert.Empty(first.Errors);
        Assert.NotNull(first.Fingerprint);
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        var app = Assert.Single(first.Roots);
        Assert.Equal("********", app.Settings["password"]);
        Assert.Equal(app.SecretDigests["password"], Assert.Single(second.Roots).SecretDigests["password"]);
        Assert.False(app.SecretDigests.ContainsKey("port"));
    }

    [Fact]
    public void A_changed_secret_changes_its_digest_and_the_fingerprint_but_never_shows()
    {
        WriteSecrets($"[component:app]\npassword = {_canary}\n");
        var before = BatouEngine.Describe(Repo.Root, "test", Salt);
        WriteSecrets($"[component:app]\npassword = {_canary}x\n");
        var after = BatouEngine.Describe(Repo.Root, "test", Salt);

        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
        Assert.NotEqual(Assert.Single(before.Roots).SecretDigests["password"], Assert.Single(after.Roots).SecretDigests["password"]);
        Assert.DoesNotContain(_canary, System.Text.Json.JsonSerializer.Serialize(after, EventJson.Options));
    }

    [Fact]
    public void A_secret_file_no_setting_uses_still_changes_the_fingerprint()
    {
        WriteSecrets($"[component:app]\npassword = {_canary}\n");
        WriteSecretFile("unused.key", $"{_canary}-a\n");
        var before = BatouEngine.Describe(Repo.Root, "test", Salt);
        WriteSecretFile("unused.key", $"{_canary}-b\n");
        var after = BatouEngine.Describe(Repo.Root, "test", Salt);

        Assert.Equal(Assert.Single(before.Roots).SecretDigests["password"], Assert.Single(after.Roots).SecretDigests["password"]);
        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
    }

    [Fact]
    public void A_changed_setting_changes_the_fingerprint_and_another_salt_other_digests()
    {
        WriteSecrets($"[component:app]\npassword = {_canary}\n");
        var before = BatouEngine.Describe(Repo.Root, "test", Salt);
        var otherSalt = BatouEngine.Describe(Repo.Root, "test", "another-salt");
        File.AppendAllText(Path.Combine(Repo.Root, "environments", "test", "environment.cfg"), "\n[component:app]\nport = 8080\n");
        var after = BatouEngine.Describe(Repo.Root, "test", Salt);

        Assert.Equal("8080", Assert.Single(after.Roots).Settings["port"]);
        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
        Assert.NotEqual(Assert.Single(before.Roots).SecretDigests["password"], Assert.Single(otherSalt.Roots).SecretDigests["password"]);
    }

    [Fact]
    public void An_environment_with_errors_has_no_fingerprint()
    {
        File.AppendAllText(Path.Combine(Repo.Root, "environments", "test", "environment.cfg"), "\n[component:app]\nport = not-a-number\n");
        var overview = BatouEngine.Describe(Repo.Root, "test", Salt);

        Assert.NotEmpty(overview.Errors);
        Assert.Null(overview.Fingerprint);
    }
}
