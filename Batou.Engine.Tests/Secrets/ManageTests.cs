using Batou.Engine.Api;
using Batou.Engine.Secrets;

namespace Batou.Engine.Tests.Secrets;

/// <summary>batou secrets summary, add, remove, reencrypt, decrypttostdout (reference §9.2 #59–#61, #63).</summary>
public sealed class ManageTests : SecretsTestBase
{
    [Fact]
    public void Summary_lists_members_and_secret_files_exactly()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n", "gpg", members: Keys.GpgId);
        var (code, output, _) = SecretsCli.Run(Repo.Root, null, null, "secrets", "summary");
        Assert.Equal(0, code);
        Assert.Equal($"test\n\t members\n\t\t- {Keys.GpgId}\n\t secret files\n\t\t(none)\n\n", output);
        WriteSecretFile("foo.yaml", "a: b\n");
        Assert.Equal($"test\n\t members\n\t\t- {Keys.GpgId}\n\t secret files\n\t\t- foo.yaml\n\n", SecretsApi.Summary(Repo.Root, null));
    }

    [Fact]
    public void Remove_then_add_a_member_changes_the_summary_and_reencrypts()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        WriteSecretFile("cert.pem", "CERT\n");
        var (code, output, _) = SecretsCli.Run(Repo.Root, null, null, "secrets", "remove", Keys.SshPublic);
        Assert.Equal(0, code);
        Assert.Contains("environments/test/secrets.cfg.age", output);
        Assert.Contains("environments/test/secret-cert.pem.age", output);
        Assert.DoesNotContain("ssh-ed25519", SecretsApi.Summary(Repo.Root, "test"));
        Assert.DoesNotContain("ssh-ed25519", Repo.Read("environments/test/age_keys.txt"));
        (code, _, _) = SecretsCli.Run(Repo.Root, null, null, "secrets", "add", Keys.OutsiderPublic, "--environments", "test");
        Assert.Equal(0, code);
        Assert.Contains("- " + Keys.OutsiderPublic, SecretsApi.Summary(Repo.Root, null));
        // the outsider alone can now decrypt both files
        var (decrypt, clear, _) = SecretsCli.Run(Repo.Root, new Dictionary<string, string?> { ["BATOU_AGE_IDENTITIES"] = Keys.Outsider }, null,
            "secrets", "decrypttostdout", "environments/test/secret-cert.pem.age");
        Assert.Equal(0, decrypt);
        Assert.Equal("CERT\n", clear);
    }

    [Fact]
    public void Unknown_environments_are_named()
    {
        WriteSecrets("");
        var e = Assert.Throws<BatouException>(() => SecretsApi.AddMember(Repo.Root, Keys.OutsiderPublic, "foo,bar,test"));
        Assert.Equal("Unknown environment(s): foo, bar", e.Errors.Single().Message);
        var (code, output, _) = SecretsCli.Run(Repo.Root, null, null, "secrets", "summary", "--environments", "nope");
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Unknown environment(s): nope", output);
    }

    [Fact]
    public void Reencrypt_only_when_recipients_changed_unless_forced()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        WriteSecretFile("cert.pem", "CERT\n");
        var main = Repo.PathOf("environments/test/secrets.cfg.age");
        var file = Repo.PathOf("environments/test/secret-cert.pem.age");
        File.Delete(Repo.PathOf("environments/test/age_keys.txt"));
        var before = (File.ReadAllBytes(main), File.ReadAllBytes(file));
        var (code, output, _) = SecretsCli.Run(Repo.Root, null, null, "secrets", "reencrypt");
        Assert.Equal(0, code);
        Assert.Contains("age_keys.txt", output);
        Assert.NotEqual(before.Item1, File.ReadAllBytes(main));
        Assert.NotEqual(before.Item2, File.ReadAllBytes(file));
        var after = (File.ReadAllBytes(main), File.ReadAllBytes(file));
        Assert.Empty(SecretsApi.Reencrypt(Repo.Root, null, force: false));
        Assert.Equal(after.Item1, File.ReadAllBytes(main));
        Assert.Equal(after.Item2, File.ReadAllBytes(file));
        Assert.Equal(2, SecretsApi.Reencrypt(Repo.Root, null, force: true).Count);
        Assert.NotEqual(after.Item1, File.ReadAllBytes(main));
        Assert.NotEqual(after.Item2, File.ReadAllBytes(file));
    }

    [Fact]
    public void Age_diffable_round_trips_multiline_values_and_keeps_unchanged_ciphertexts()
    {
        WriteSecrets("[component:app]\npassword = line one\n    line two\nport = 81\n", "age-diffable");
        var path = Repo.PathOf("environments/test/secrets.cfg.age-diffable");
        var first = File.ReadAllText(path);
        Assert.Contains("[batou]", first);
        Assert.Contains("[component:app]", first);
        Assert.DoesNotContain("line one", first);
        var clear = SecretsApi.Decrypt(path);
        Assert.Contains("password = line one\n    line two\n", clear);
        WriteSecrets("[component:app]\npassword = line one\n    line two\nport = 82\n", "age-diffable");
        var second = File.ReadAllText(path);
        string Block(string text, string key) => text[text.IndexOf(key + " =", StringComparison.Ordinal)..].Split("\nport")[0];
        Assert.Equal(Block(first, "password"), Block(second, "password"));
        Assert.NotEqual(first.Split("port =")[1], second.Split("port =")[1]);
    }

    [Fact]
    public void Changing_secret_provider_converts_the_environment()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        WriteSecretFile("cert.pem", "CERT\n");
        var store = SecretStore.Open(Repo.Root, "test");
        var cleartext = store.ReadMain().Replace("secret_provider = age", "secret_provider = gpg", StringComparison.Ordinal)
            .Replace(Members, Keys.GpgId, StringComparison.Ordinal);
        store.WriteMain(cleartext);
        Assert.False(File.Exists(Repo.PathOf("environments/test/secrets.cfg.age")));
        Assert.False(File.Exists(Repo.PathOf("environments/test/secret-cert.pem.age")));
        Assert.False(File.Exists(Repo.PathOf("environments/test/age_keys.txt")));
        Assert.Equal("CERT\n", SecretsApi.Decrypt(Repo.PathOf("environments/test/secret-cert.pem.gpg")));
        Assert.True(Repo.Deploy().Success);
        Assert.Contains("password s3cret", Repo.Read("work/app/app.conf"));
    }
}
