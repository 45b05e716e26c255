using Batou.Engine.Secrets;

namespace Batou.Engine.Tests.Secrets;

/// <summary>batou secrets edit with a scripted $EDITOR (reference §9.2 #62).</summary>
public sealed class EditTests : SecretsTestBase
{
    private (int Code, string Out) Edit(string editor, string? stdin, params string[] args)
    {
        var (code, output, stderr) = SecretsCli.Run(Repo.Root, new Dictionary<string, string?> { ["EDITOR"] = editor }, stdin, ["secrets", "edit", .. args]);
        Assert.DoesNotContain("   at ", output + stderr);
        return (code, output);
    }

    [Fact]
    public void New_main_file_is_created_encrypted_and_age_keys_written()
    {
        var (code, output) = Edit(SecretsCli.Editor(Repo.Root, $"[batou]\nmembers = {Keys.AgePublic}\n\n[component:app]\npassword = edited-S3CRET\n"), null, "test");
        Assert.Equal(0, code);
        Assert.Contains("Encrypted environments/test/secrets.cfg.age", output);
        Assert.DoesNotContain("edited-S3CRET", output);
        Assert.Contains(Keys.AgePublic, Repo.Read("environments/test/age_keys.txt"));
        Assert.True(Repo.Deploy().Success);
        Assert.Contains("password edited-S3CRET", Repo.Read("work/app/app.conf"));
    }

    [Theory]
    [InlineData("age", "secret-asdf123.age")]
    [InlineData("gpg", "secret-asdf123.gpg")]
    public void Edit_with_a_file_name_targets_the_secret_prefixed_file_and_blank_edits_are_encrypted(string provider, string expected)
    {
        WriteSecrets("", provider, members: provider == "gpg" ? Keys.GpgId : null);
        var (code, _) = Edit(SecretsCli.Editor(Repo.Root, ""), null, "test", "asdf123");
        Assert.Equal(0, code);
        var path = Repo.PathOf("environments/test/" + expected);
        Assert.True(File.Exists(path));
        Assert.NotEmpty(File.ReadAllBytes(path));
        Assert.Equal("", SecretsApi.Decrypt(path));
    }

    [Fact]
    public void Unchanged_content_is_not_reencrypted()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var path = Repo.PathOf("environments/test/secrets.cfg.age");
        var before = File.ReadAllBytes(path);
        var same = SecretStore.Open(Repo.Root, "test").ReadMain();
        var (code, output) = Edit(SecretsCli.Editor(Repo.Root, same), null, "test");
        Assert.Equal(0, code);
        Assert.Contains("No changes to environments/test/secrets.cfg.age; nothing re-encrypted.", output);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Editor_exiting_non_zero_saves_nothing()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var path = Repo.PathOf("environments/test/secrets.cfg.age");
        var before = File.ReadAllBytes(path);
        var (code, output) = Edit(SecretsCli.Editor(Repo.Root, "[component:app]\npassword = new\n", exitCode: 3), null, "test");
        Assert.Equal(1, code);
        Assert.Contains("ERROR: The editor exited with code 3; nothing was saved", output);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Error_when_saving_offers_edit_again_force_or_quit()
    {
        WriteSecrets("[component:app]\npassword = s3cret\n");
        var path = Repo.PathOf("environments/test/secrets.cfg.age");
        var before = File.ReadAllBytes(path);
        var broken = SecretsCli.Editor(Repo.Root, $"[batou]\nmembers = {Keys.AgePublic}\n[component:app]\nbroken line\n");
        var (code, output) = Edit(broken, "q\n", "test");
        Assert.Equal(1, code);
        Assert.Contains("(e)dit again, (f)orce: encrypt anyway, (q)uit?", output);
        Assert.Contains("environments/test/secrets.cfg.age:4", output);
        Assert.Equal(before, File.ReadAllBytes(path));

        (code, output) = Edit(broken, "f\n", "test");
        Assert.Equal(0, code);
        Assert.Contains("broken line", SecretsApi.Decrypt(path));

        var unknownRecipient = SecretsCli.Editor(Repo.Root, "[batou]\nmembers = age1bogus\n");
        before = File.ReadAllBytes(path);
        (code, output) = Edit(unknownRecipient, "e\nq\n", "test");
        Assert.Equal(1, code);
        Assert.Equal(2, output.Split("(e)dit again, (q)uit?").Length - 1);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
