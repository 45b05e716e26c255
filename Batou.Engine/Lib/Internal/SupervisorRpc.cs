using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;

namespace Batou.Lib.Internal;

/// <summary>
/// Asks supervisord for a program's state over its own XML-RPC unix socket (what
/// <c>supervisorctl status</c> asks), without starting a Python process per verify. Only for the
/// plain case — <c>supervisorctl -c FILE</c> whose <c>[supervisorctl] serverurl</c> is a
/// <c>unix://</c> socket without a user name — and only for a clean answer; anything else returns
/// null and the caller runs the command as configured.
/// </summary>
internal static class SupervisorRpc
{
    public static string? State(string supervisorctl, string program)
    {
        try
        {
            return Socket(supervisorctl) is { } socket ? Ask(socket, program) : null;
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or System.Xml.XmlException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The socket of <c>supervisorctl -c FILE</c> (or <c>--configuration=FILE</c>), or null when the command is anything else.</summary>
    internal static string? Socket(string supervisorctl)
    {
        var words = supervisorctl.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || System.IO.Path.GetFileName(words[0]) != "supervisorctl") return null;
        string? config = words switch
        {
            [_, "-c", var file] => file,
            [_, var option] when option.StartsWith("--configuration=", StringComparison.Ordinal) => option["--configuration=".Length..],
            _ => null,
        };
        if (config is null || !System.IO.Path.IsPathRooted(config) || !System.IO.File.Exists(config)) return null;
        string? section = null, url = null;
        foreach (var raw in System.IO.File.ReadLines(config))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']')) { section = line[1..^1].Trim(); continue; }
            if (section != "supervisorctl" || line.StartsWith(';') || line.StartsWith('#')) continue;
            var eq = line.IndexOfAny(['=', ':']);
            if (eq < 0) continue;
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (key == "serverurl") url = value;
            else if (key is "username" or "password") return null;   // authentication: leave it to supervisorctl
        }
        return url is not null && url.StartsWith("unix://", StringComparison.Ordinal) && !url.Contains("%(", StringComparison.Ordinal)
            ? url["unix://".Length..] : null;
    }

    private static string? Ask(string socketPath, string program)
    {
        var body = new XDocument(new XElement("methodCall",
            new XElement("methodName", "supervisor.getProcessInfo"),
            new XElement("params", new XElement("param", new XElement("value", new XElement("string", program)))))).ToString(SaveOptions.DisableFormatting);
        var payload = Encoding.UTF8.GetBytes(body);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 5000, SendTimeout = 5000 };
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = Encoding.ASCII.GetBytes($"POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: {payload.Length}\r\n\r\n");
        stream.Write(head);
        stream.Write(payload);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = reader.ReadToEnd();
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!response.StartsWith("HTTP/1.", StringComparison.Ordinal) || !response.Contains(" 200 ", StringComparison.Ordinal) || split < 0) return null;
        var xml = XDocument.Parse(response[(split + 4)..]);
        if (xml.Descendants("fault").Any()) return null;
        var member = xml.Descendants("member").FirstOrDefault(m => (string?)m.Element("name") == "statename");
        var state = member?.Element("value")?.Value.Trim();
        return state is { Length: > 0 } && state.All(char.IsAsciiLetterUpper) ? state : null;
    }
}
