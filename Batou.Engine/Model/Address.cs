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
/// and <see cref="ListenV6"/> are resolved on first use (IPv4 / IPv6). Settings of this type
/// accept <c>host:port</c> from the environment.
/// </summary>
public sealed class Address
{
    private readonly Lazy<NetLoc?> _listen;
    private readonly Lazy<NetLoc?> _listenV6;

    public Address(string connectAddress, int? port = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectAddress);
        var (host, parsedPort) = Split(connectAddress.Trim());
        var p = port ?? parsedPort ?? throw new FormatException($"`{connectAddress}` has no port (write host:port)");
        if (p is < 1 or > 65535) throw new FormatException($"port {p} is not between 1 and 65535");
        Connect = new NetLoc(host, p);
        _listen = new(() => Resolve(AddressFamily.InterNetwork));
        _listenV6 = new(() => Resolve(AddressFamily.InterNetworkV6));
    }

    public NetLoc Connect { get; }

    /// <summary>The IPv4 address to listen on, or null when the host has none.</summary>
    public NetLoc? Listen => _listen.Value;

    /// <summary>The IPv6 address to listen on, or null when the host has none.</summary>
    public NetLoc? ListenV6 => _listenV6.Value;

    public static Address Parse(string text) => new(text);

    public override string ToString() => Connect.ToString();

    private NetLoc? Resolve(AddressFamily family)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(Connect.Host, out var literal) ? [literal] : Dns.GetHostAddresses(Connect.Host);
        }
        catch (SocketException e)
        {
            throw new ConfigurationError($"Cannot resolve {Connect.Host}: {e.Message}");
        }
        var match = addresses.FirstOrDefault(a => a.AddressFamily == family);
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
