using System.Globalization;

namespace Batou.Engine.Remote.Builtin;

/// <summary><c>[user@]host[:port]</c> (IPv6 as <c>[::1]:22</c>), as <c>jump_host</c> and ProxyJump write it.</summary>
internal sealed record SshEndpoint(string? User, string Host, int? Port)
{
    public static bool TryParse(string text, out SshEndpoint endpoint)
    {
        endpoint = new SshEndpoint(null, "", null);
        var rest = text.Trim();
        if (rest.StartsWith("ssh://", StringComparison.Ordinal)) rest = rest[6..];
        string? user = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
            if (!RemoteSettingsCheck.IsUserName(user)) return false;
        }
        string host;
        int? port = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0) return false;
            host = rest[1..close];
            rest = rest[(close + 1)..];
            if (rest.Length > 0 && !rest.StartsWith(':')) return false;
        }
        else
        {
            var colon = rest.IndexOf(':');
            host = colon < 0 ? rest : rest[..colon];
            rest = colon < 0 ? "" : rest[colon..];
        }
        if (rest.StartsWith(':'))
        {
            if (!int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535) return false;
            port = p;
        }
        if (host.Length == 0 || host.StartsWith('-') || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':')) return false;
        endpoint = new SshEndpoint(user, host, port);
        return true;
    }
}
