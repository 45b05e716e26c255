using Batou.Engine.Api;
using Batou.Engine.Planning;
using Batou.Engine.Remote.Builtin;

namespace Batou.Engine.Remote;

/// <summary>Which transport reaches a host, and making one for a deployment.</summary>
internal static class Transports
{
    public const string OpenSsh = "openssh";
    public const string Builtin = "builtin";

    /// <summary>The caller's forced client, else <c>ssh_client</c> of the host or environment, else the caller's default, else openssh.</summary>
    public static string ClientFor(Host host, SshOptions? options) =>
        options?.Client ?? host.Ssh.Client ?? options?.DefaultClient ?? OpenSsh;

    /// <summary>How long the host's connection and agent stay warm after the run: the caller's forced value, else <c>ssh_warm</c> of the host or environment, else the caller's default, else off.</summary>
    public static TimeSpan WarmFor(Host host, SshOptions? options) =>
        options?.Warm ?? host.Ssh.Warm ?? options?.DefaultWarm ?? TimeSpan.Zero;

    public static IRemoteTransport Create(string name, ComponentModel model, SshOptions? options)
    {
        var environment = model.Environment;
        var settings = environment.Settings;
        return name switch
        {
            Builtin => new BuiltinTransport(environment.BaseDir, environment.Name, settings.AcceptNewHostKeys, settings.Timeout, options, host => Passphrase(model, host)),
            OpenSsh => new SshTransport(environment.BaseDir, environment.Name, settings.AcceptNewHostKeys, settings.Timeout,
                host => WarmFor(host, options), options?.StopWarm == true),
            _ => throw new BatouException(BatouError.Create("InvalidSetting", "Unknown ssh client", ("Value", name), ("Expected", "openssh or builtin"))),
        };
    }

    /// <summary>A key passphrase from the secrets: <c>ssh_passphrase</c> in the host's section, else the secret file <c>ssh_passphrase</c>.</summary>
    private static string? Passphrase(ComponentModel model, Host host)
    {
        if (model.Secrets is not { } secrets) return null;
        if (secrets.Hosts.TryGetValue(host.Name, out var values) && values.TryGetValue("ssh_passphrase", out var value)) return value.Value;
        return secrets.Files.TryGetValue("ssh_passphrase", out var file) ? file.TrimEnd('\n', '\r') : null;
    }
}
