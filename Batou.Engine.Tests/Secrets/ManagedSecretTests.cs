using Batou.Engine.Api;

namespace Batou.Engine.Tests.Secrets;

/// <summary>Managed secrets: generated on the first deployment, stored encrypted, reused afterwards.</summary>
public sealed class ManagedSecretTests : SecretsTestBase
{
    private const string Db = """
        public sealed class Db : Component
        {
            [ManagedSecret(Length = 24, Alphabet = "abcdef0123456789")] public string Password { get; set; } = "";
            protected override void Configure() => Add(new File("db.conf") { Content = $"password={Password}\n" });
        }
        """;

    public ManagedSecretTests() => Repo.Component("db", Db).LocalEnvironment("app, db");

    [Fact]
    public void First_deployment_generates_and_stores_later_ones_reuse()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var first = Repo.Deploy();
        Assert.True(first.Success, first.ToString());
        var value = Repo.Read("work/db/db.conf")["password=".Length..].Trim();
        Assert.Matches("^[a-f0-9]{24}$", value);
        var notice = Assert.Single(first.Warnings, w => w.Kind == "ManagedSecretGenerated");
        Assert.Contains(notice.Details, d => d.Label == "Stored in" && d.Value.Contains("environments/test/secrets.cfg.age", StringComparison.Ordinal));
        Assert.Contains($"password = {value}", Batou.Engine.Secrets.SecretsApi.Decrypt(Repo.PathOf("environments/test/secrets.cfg.age")));
        Assert.DoesNotContain(value, Json(first));

        var second = Repo.Deploy();
        Assert.True(second.Success);
        Assert.DoesNotContain(second.Warnings, w => w.Kind == "ManagedSecretGenerated");
        Assert.Equal($"password={value}\n", Repo.Read("work/db/db.conf"));
        Assert.Empty(second.Updated);
    }

    [Fact]
    public void Prediction_uses_a_throw_away_value_and_stores_nothing()
    {
        WriteSecrets("");
        var before = File.ReadAllBytes(Repo.PathOf("environments/test/secrets.cfg.age"));
        var result = Repo.Deploy(mode: DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Contains(result.Warnings, w => w.Kind == "ManagedSecretPending");
        Assert.Equal(before, File.ReadAllBytes(Repo.PathOf("environments/test/secrets.cfg.age")));
        Assert.False(File.Exists(Repo.Work("db/db.conf")));
    }

    [Fact]
    public void Without_a_secrets_file_or_vault_the_error_says_how_to_create_one()
    {
        var error = Repo.Deploy().Error("NoSecretStore");
        Assert.Contains(error.Details, d => d.Label == "Hint" && d.Value.Contains("batou secrets edit test", StringComparison.Ordinal));
    }

    [Fact]
    public void A_value_given_in_the_secrets_file_is_used_as_is()
    {
        WriteSecrets("[component:db]\npassword = chosen-by-hand\n");
        var result = Repo.Deploy();
        Assert.True(result.Success);
        Assert.Equal("password=chosen-by-hand\n", Repo.Read("work/db/db.conf"));
        Assert.DoesNotContain(result.Warnings, w => w.Kind.StartsWith("ManagedSecret", StringComparison.Ordinal));
    }
}
