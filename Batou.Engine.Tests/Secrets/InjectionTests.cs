using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Secrets;

/// <summary>Secrets reach components as settings, host data and secret files, with every provider; diffs are masked.</summary>
public sealed class InjectionTests : SecretsTestBase
{
    [Theory]
    [InlineData("age", "secrets.cfg.age")]
    [InlineData("age-diffable", "secrets.cfg.age-diffable")]
    [InlineData("gpg", "secrets.cfg.gpg")]
    public void Component_section_host_section_and_secret_file_reach_the_model(string provider, string file)
    {
        var members = provider == "gpg" ? Keys.GpgId : null;
        WriteSecrets("[component:app]\npassword = s3cret-Value-1\n\n[host:localhost]\ndata-alias = db-primary\n", provider, members: members);
        WriteSecretFile("cert.pem", "-----BEGIN CERT-----\nMIIcertificatebody\n-----END CERT-----\n");
        Assert.True(File.Exists(Repo.PathOf($"environments/test/{file}")));
        Assert.DoesNotContain("s3cret-Value-1", File.ReadAllText(Repo.PathOf($"environments/test/{file}")));

        var result = Repo.Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.Equal("port 80\npassword s3cret-Value-1\n", Repo.Read("work/app/app.conf"));
        Assert.Equal("db-primary\n", Repo.Read("work/app/alias"));
        Assert.Contains("MIIcertificatebody", Repo.Read("work/app/cert.pem"));
        Assert.Contains(result.Of<StepStarted>(), s => s.Step == "secrets" && s.Message == "Loading secrets ...");
        var diffs = result.Of<FileDiff>().ToDictionary(d => Path.GetFileName(d.Path));
        Assert.Equal("Not showing diff as it contains sensitive data.", diffs["app.conf"].Notice);
        Assert.Equal("Not showing diff as it contains sensitive data.", diffs["cert.pem"].Notice);
        Assert.Empty(diffs["cert.pem"].Lines);
        Assert.DoesNotContain("s3cret-Value-1", Json(result));
    }

    [Fact]
    public void Plain_component_name_as_section_works_like_component_prefix()
    {
        WriteSecrets("[app]\nport = 8443\n");
        var result = Repo.Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.StartsWith("port 8443\n", Repo.Read("work/app/app.conf"));
    }

    [Fact]
    public void Same_setting_in_environment_and_secrets_is_an_error()
    {
        Repo.LocalEnvironment("app", "[component:app]\npassword = plain\n");
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var result = Repo.Deploy();
        Assert.False(result.Success);
        var error = result.Error("DuplicateOverride");
        Assert.Equal("Attribute override found both in environment and secrets", error.Message);
        Assert.Contains(error.Details, d => d.Label == "Environment" && d.Value == "environments/test/environment.cfg:7");
        Assert.Contains(error.Details, d => d.Label == "Secrets" && d.Value.StartsWith("environments/test/secrets.cfg.age:", StringComparison.Ordinal));
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
    }

    [Fact]
    public void Sections_for_unknown_component_and_unknown_host_are_errors()
    {
        WriteSecrets("[component:nosuchcomponent]\nx = 1\n\n[host:nosuchhost]\nalias = y\n");
        var result = Repo.Deploy();
        Assert.False(result.Success);
        var component = result.Error("SuperfluousSecretsSection");
        Assert.Equal("Secrets section for unknown component found", component.Message);
        Assert.Contains(component.Details, d => d.Label == "Component" && d.Value == "nosuchcomponent");
        var host = result.Error("UnknownHostSecretsSection");
        Assert.Contains(host.Details, d => d.Label == "Host" && d.Value == "nosuchhost");
    }

    [Fact]
    public void Conversion_error_of_a_secret_setting_does_not_show_the_value()
    {
        WriteSecrets("[component:app]\nport = not-a-port-S3CRET\n");
        var result = Repo.Deploy();
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Kind == "ConversionError");
        Assert.DoesNotContain("not-a-port-S3CRET", Json(result));
    }

    [Fact]
    public void Describe_masks_secret_settings_and_host_data()
    {
        WriteSecrets("[component:app]\npassword = s3cret-describe\n\n[host:localhost]\nalias = hidden-alias\n");
        var overview = BatouEngine.Describe(Repo.Root, "test");
        Assert.Empty(overview.Errors);
        Assert.Equal("********", overview.Roots.Single().Settings["password"]);
        Assert.Equal("********", overview.Hosts.Single().Data["alias"]);
    }
}
