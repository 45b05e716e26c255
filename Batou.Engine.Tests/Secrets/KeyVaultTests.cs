using Batou.Engine.Api;
using Batou.Engine.Secrets.KeyVault;

namespace Batou.Engine.Tests.Secrets;

/// <summary>Secrets from Azure Key Vault, against an https double that speaks the REST protocol (one class: the client factory is static).</summary>
public sealed class KeyVaultTests : SecretsTestBase
{
    private const string Managed = """
        public sealed class Db : Component
        {
            [ManagedSecret(Length = 40)] public string Password { get; set; } = "";
            protected override void Configure() => Add(new File("db.conf") { Content = $"password={Password}\n" });
        }
        """;

    private readonly FakeKeyVault _vault = new();

    public KeyVaultTests()
    {
        KeyVaultClients.Factory = _vault.Client;
    }

    private string VaultSections(string url) =>
        $"[vault]\nurl = {url}\n\n[vault:app]\npassword = app-password\n\n[vault:host:localhost]\nalias = host-alias\n\n[vault:files]\ncert.pem = tls-cert\n";

    [Fact]
    public void Settings_host_data_and_files_come_from_the_vault_after_the_challenge()
    {
        _vault.Secrets["app-password"] = "vault-S3CRET";
        _vault.Secrets["host-alias"] = "vault-alias";
        _vault.Secrets["tls-cert"] = "VAULTCERTIFICATE\n";
        Repo.LocalEnvironment("app", VaultSections(_vault.Url.ToString()));
        var result = Repo.Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.Equal("port 80\npassword vault-S3CRET\n", Repo.Read("work/app/app.conf"));
        Assert.Equal("vault-alias\n", Repo.Read("work/app/alias"));
        Assert.Equal("VAULTCERTIFICATE\n", Repo.Read("work/app/cert.pem"));
        Assert.Contains(_vault.Requests, r => r.EndsWith("auth=False", StringComparison.Ordinal));
        Assert.Contains(_vault.Requests, r => r == "GET /secrets/app-password auth=True");
        Assert.DoesNotContain("vault-S3CRET", Json(result));
    }

    [Fact]
    public void Missing_secret_names_the_vault_and_the_secret()
    {
        Repo.LocalEnvironment("app", $"[vault]\nurl = {_vault.Url}\n\n[vault:app]\npassword = not-there\n");
        var error = Repo.Deploy().Error("KeyVaultSecretNotFound");
        Assert.Equal("Secret `not-there` not found in Key Vault", error.Message);
        Assert.Contains(error.Details, d => d.Label == "Vault" && d.Value == _vault.Url.ToString());
        Assert.Equal(10, error.Line);
    }

    [Fact]
    public void Denied_access_names_vault_and_secret_but_not_the_value()
    {
        _vault.Secrets["app-password"] = "denied-S3CRET";
        _vault.Deny = true;
        Repo.LocalEnvironment("app", $"[vault]\nurl = {_vault.Url}\n\n[vault:app]\npassword = app-password\n");
        var result = Repo.Deploy();
        var error = result.Error("KeyVaultError");
        Assert.Equal("Key Vault denied access: cannot read secret `app-password`", error.Message);
        Assert.Contains(error.Details, d => d.Label == "Problem" && d.Value == "HTTP 403 Forbidden");
        Assert.DoesNotContain("denied-S3CRET", Json(result));
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
    }

    [Fact]
    public void Unreachable_vault_is_reported()
    {
        Repo.LocalEnvironment("app", "[vault]\nurl = https://localhost:1/\n\n[vault:app]\npassword = app-password\n");
        var error = Repo.Deploy().Error("KeyVaultError");
        Assert.Equal("Cannot reach Key Vault to read secret `app-password`", error.Message);
        Assert.Contains(error.Details, d => d.Label == "Vault" && d.Value == "https://localhost:1/");
    }

    [Fact]
    public void Managed_secret_is_generated_once_stored_in_the_vault_and_reused()
    {
        Repo.Component("db", Managed).LocalEnvironment("db", $"[vault]\nurl = {_vault.Url}\n");
        var first = Repo.Deploy();
        Assert.True(first.Success, first.ToString());
        var stored = Assert.Single(_vault.Secrets);
        Assert.Equal("db-password", stored.Key);
        Assert.Equal(40, stored.Value.Length);
        Assert.Equal($"password={stored.Value}\n", Repo.Read("work/db/db.conf"));
        var notice = Assert.Single(first.Warnings, w => w.Kind == "ManagedSecretGenerated");
        Assert.Contains(notice.Details, d => d.Label == "Stored in" && d.Value.Contains("`db-password`", StringComparison.Ordinal));
        var second = Repo.Deploy();
        Assert.True(second.Success);
        Assert.DoesNotContain(second.Warnings, w => w.Kind == "ManagedSecretGenerated");
        Assert.Equal($"password={stored.Value}\n", Repo.Read("work/db/db.conf"));
        Assert.DoesNotContain(stored.Value, Json(first) + Json(second));
    }

    [Fact]
    public void Invalid_vault_configuration_is_reported_with_lines()
    {
        Repo.LocalEnvironment("app", "[vault]\nurl = http://insecure.example\nfoo = 1\n\n[vault:app]\npassword = not_valid_name!\n");
        var result = Repo.Deploy();
        Assert.Contains(result.Errors, e => e.Message == "The vault url must be an https:// URL" && e.Line == 7);
        Assert.Contains(result.Errors, e => e.Message == "Unknown key `foo` in [vault]" && e.Line == 8);
        Assert.Contains(result.Errors, e => e.Message == "Not a valid Key Vault secret name" && e.Line == 11);
    }

    protected override void Dispose(bool disposing)
    {
        KeyVaultClients.Factory = null;
        _vault.Dispose();
        base.Dispose(disposing);
    }
}
