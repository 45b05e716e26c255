using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Batou;

/// <summary>A host and port as written (<c>host:port</c>, <c>[::1]:80</c>); IPv6 hosts print bracketed.</summary>
public sealed record NetLoc(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>
/// A network address of a service: <see cref="Connect"/> is what clients use; <see cref="Listen"/>
/// (IPv4) and <see cref="ListenV6"/> are resolved on first use, honouring the environment's
/// <c>[resolver]</c> overrides and its <c>require_v4</c> / <c>require_v6</c> settings
/// (<c>true</c>: must resolve; <c>optional</c>: null when it does not; <c>false</c>: not configured).
/// Settings of this type accept <c>host:port</c> from the environment.
/// </summary>
public sealed class Address
{
    [ThreadStatic] private static DeploymentEnvironment? t_environment;

    private readonly Lazy<NetLoc?> _listen;
    private readonly Lazy<NetLoc?> _listenV6;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _resolver;

    public Address(string connectAddress, int? port = null, string? requireV4 = null, string? requireV6 = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectAddress);
        var (host, parsedPort) = Split(connectAddress.Trim());
        var p = port ?? parsedPort ?? throw new FormatException($"`{connectAddress}` has no port (write host:port)");
        if (p is < 1 or > 65535) throw new FormatException($"port {p} is not between 1 and 65535");
        Connect = new NetLoc(host, p);
        var environment = t_environment;
        _resolver = environment?.Resolver ?? new Dictionary<string, IReadOnlyList<string>>();
        RequireV4 = Requirement(requireV4 ?? environment?.Settings.RequireV4 ?? "true");
        RequireV6 = Requirement(requireV6 ?? environment?.Settings.RequireV6 ?? "false");
        _listen = new(() => Resolve(AddressFamily.InterNetwork, RequireV4, "IPv4", "require_v4"));
        _listenV6 = new(() => Resolve(AddressFamily.InterNetworkV6, RequireV6, "IPv6", "require_v6"));
    }

    public NetLoc Connect { get; }

    /// <summary><c>true</c>, <c>false</c> or <c>optional</c>.</summary>
    public string RequireV4 { get; }

    public string RequireV6 { get; }

    /// <summary>The IPv4 address to listen on (null when optional and there is none).</summary>
    public NetLoc? Listen => _listen.Value;

    /// <summary>The IPv6 address to listen on (null when optional and there is none).</summary>
    public NetLoc? ListenV6 => _listenV6.Value;

    public static Address Parse(string text) => new(text);

    public override string ToString() => Connect.ToString();

    /// <summary>The environment whose resolver and defaults new addresses use (set while configuring).</summary>
    internal static IDisposable Use(DeploymentEnvironment environment)
    {
        var previous = t_environment;
        t_environment = environment;
        return new Restore(() => t_environment = previous);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static string Requirement(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => "true",
        "false" or "no" or "0" => "false",
        "optional" => "optional",
        _ => throw new FormatException($"`{value}` is not true, false or optional"),
    };

    private NetLoc? Resolve(AddressFamily family, string requirement, string name, string setting)
    {
        if (requirement == "false")
            throw new ConfigurationError($"Trying to access address family {name} which is not configured for {Connect}. Hint: set {setting} = true (or optional).");
        IPAddress[] addresses;
        if (_resolver.TryGetValue(Connect.Host, out var overrides) && overrides.Any(o => IPAddress.TryParse(o, out var a) && a.AddressFamily == family))
            addresses = overrides.Select(IPAddress.Parse).ToArray();
        else if (IPAddress.TryParse(Connect.Host, out var literal))
            addresses = [literal];
        else
        {
            try
            {
                addresses = Dns.GetHostAddresses(Connect.Host);
            }
            catch (SocketException e)
            {
                if (requirement == "optional") return null;
                throw new ConfigurationError($"Cannot resolve {Connect.Host}: {e.Message}");
            }
        }
        var match = addresses.FirstOrDefault(a => a.AddressFamily == family);
        if (match is null && requirement == "true")
            throw new ConfigurationError($"{Connect.Host} has no {name} address ({setting} = true)");
        return match is null ? null : new NetLoc(match.ToString(), Connect.Port);
    }

    private static (string Host, int? Port) Split(string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new FormatException($"`{text}` has an unclosed [");
            var rest = text[(close + 1)..];
            return (text[1..close], rest.StartsWith(':') ? ParsePort(rest[1..]) : null);
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon) return (text, null);
        return (text[..colon], ParsePort(text[(colon + 1)..]));
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : throw new FormatException($"`{text}` is not a port number");
}
