using Batou.Engine.Planning;
using Batou.Engine.Remote;
using Batou.Engine.Secrets;

namespace Batou.Engine.Tests.Remote;

/// <summary>What of the decrypted secrets travels to a host in the agent's session.</summary>
public sealed class SecretPayloadTests
{
    [Fact]
    public void The_ssh_key_passphrase_stays_on_the_controller()
    {
        var set = new SecretSet();
        set.SetHost("web1", "ssh_passphrase", new SecretHostValue("key-passphrase-123", "secrets.cfg", 2), 1);
        set.SetHost("web1", "data-alias", new SecretHostValue("secret-alias-456", "secrets.cfg", 3), 1);
        set.SetFile("ssh_passphrase", "file-passphrase-789\n");
        set.SetComponent("app", "password", new OverrideValue("app-password-000", "secrets.cfg", 5), 4);

        var payload = SecretPayload.From(set)!;
        var json = AgentJson.Write(new SetupRequest("/x", "env", "web1", "c.dll", null, 60, null, payload));
        Assert.DoesNotContain("key-passphrase-123", json);
        Assert.DoesNotContain("file-passphrase-789", json);
        Assert.Contains("secret-alias-456", json);
        Assert.Contains("app-password-000", json);
        Assert.Equal(["alias"], payload.Hosts["web1"].Keys);
    }
}
