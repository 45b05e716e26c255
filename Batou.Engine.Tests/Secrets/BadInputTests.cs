using Batou.Engine.Api;
using Batou.Engine.Secrets;

namespace Batou.Engine.Tests.Secrets;

/// <summary>Broken secrets end in a clear message naming the file (and the identities tried), never a value.</summary>
public sealed class BadInputTests : SecretsTestBase
{
    [Fact]
    public void No_identity_can_decrypt_names_the_identities_tried()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var (code, output, stderr) = SecretsCli.Run(Repo.Root, new Dictionary<string, string?> { ["BATOU_AGE_IDENTITIES"] = Keys.Outsider }, null, "deploy", "test");
        Assert.Equal(1, code);
        Assert.Contains("ERROR: None of your identities can decrypt environments/test/secrets.cfg.age", output);
        Assert.Contains($"Tried: {Keys.Outsider}", output);
        Assert.Contains("DEPLOYMENT FAILED (during load)", output);
        Assert.DoesNotContain("   at ", output + stderr);
    }

    [Fact]
    public void Missing_identity_files_are_listed_as_missing()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var (code, output, _) = SecretsCli.Run(Repo.Root, new Dictionary<string, string?> { ["BATOU_AGE_IDENTITIES"] = "/nonexistent/key" }, null, "deploy", "test");
        Assert.Equal(1, code);
        Assert.Contains("No age identity available to decrypt environments/test/secrets.cfg.age", output);
        Assert.Contains("/nonexistent/key (missing)", output);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    public void Corrupted_or_truncated_file_is_reported_with_the_file(string damage)
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var path = Repo.PathOf("environments/test/secrets.cfg.age");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage == "truncated" ? bytes[..(bytes.Length / 2)] : "this is not age\n"u8.ToArray());
        var result = Repo.Deploy();
        Assert.False(result.Success);
        var error = result.Error("DecryptionFailed");
        Assert.StartsWith("Cannot decrypt environments/test/secrets.cfg.age", error.Message);
        Assert.Equal("environments/test/secrets.cfg.age", error.File);
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
    }

    [Fact]
    public void Two_secrets_files_in_one_environment_are_an_error()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        File.Copy(Repo.PathOf("environments/test/secrets.cfg.age"), Repo.PathOf("environments/test/secrets.cfg.gpg"));
        var result = Repo.Deploy();
        var error = result.Error("MultipleSecretsFiles");
        Assert.Equal("More than one secrets file in environment", error.Message);
        Assert.Contains(error.Details, d => d.Label == "Files" && d.Value == "secrets.cfg.age, secrets.cfg.gpg");
    }

    [Fact]
    public void Unknown_age_recipient_keeps_the_old_file_byte_for_byte()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var path = Repo.PathOf("environments/test/secrets.cfg.age");
        var before = File.ReadAllBytes(path);
        var keysBefore = File.ReadAllText(Repo.PathOf("environments/test/age_keys.txt"));
        var e = Assert.Throws<BatouException>(() => WriteSecrets("[component:app]\npassword = other\n", members: $"{Keys.AgePublic}, age1notarealkey"));
        Assert.Equal("EncryptionFailed", e.Errors.Single().Kind);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(keysBefore, File.ReadAllText(Repo.PathOf("environments/test/age_keys.txt")));
        Assert.Empty(Directory.GetFiles(Repo.PathOf("environments/test"), "*.tmp"));
        var unknown = Assert.Throws<BatouException>(() => WriteSecrets("[component:app]\npassword = other\n", members: "someone@example.com"));
        Assert.Equal("UnknownRecipient", unknown.Errors.Single().Kind);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Gpg_write_to_a_missing_recipient_key_keeps_the_old_file()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n", "gpg", members: Keys.GpgId);
        var path = Repo.PathOf("environments/test/secrets.cfg.gpg");
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<BatouException>(() => WriteSecrets("[component:app]\npassword = x\n", "gpg", members: $"{Keys.GpgId}, nobody@unknown.invalid"));
        Assert.Equal("EncryptionFailed", e.Errors.Single().Kind);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Gpg_without_a_secret_key_reports_the_gpg_call()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n", "gpg", members: Keys.GpgId);
        var empty = Directory.CreateTempSubdirectory("batou-empty-gnupg-").FullName;
        try
        {
            var (code, output, _) = SecretsCli.Run(Repo.Root, new Dictionary<string, string?> { ["GNUPGHOME"] = empty }, null, "deploy", "test");
            Assert.Equal(1, code);
            Assert.Contains("environments/test/secrets.cfg.gpg", output);
            Assert.Contains("DEPLOYMENT FAILED (during load)", output);
        }
        finally
        {
            SecretsKeys.Run(new Dictionary<string, string> { ["GNUPGHOME"] = empty }, "gpgconf", "--kill", "gpg-agent");
            Directory.Delete(empty, true);
        }
    }

    [Fact]
    public void Syntax_error_in_secrets_names_the_line_but_not_its_content()
    {
        var e = Assert.Throws<BatouException>(() => WriteSecrets("[component:app]\nthis-line-is-S3CRET\n"));
        var error = e.Errors.Single();
        Assert.Equal(7, error.Line);
        Assert.DoesNotContain("S3CRET", error.ToString());
    }
}
