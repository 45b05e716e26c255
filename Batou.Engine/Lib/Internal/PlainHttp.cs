using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Batou.Lib.Internal;

/// <summary>
/// One GET of a plain <c>http://</c> URL as HTTP/1.0 over a socket — the health probe's usual case,
/// a service on loopback — so a no-op deployment does not start HttpClient's machinery to ask one
/// question. Only for a clean answer: https, user info in the URL, a refused or broken connection,
/// a chunked, compressed or non-UTF-8 body all return null, and the caller asks HttpClient, whose
/// answer (and error message) then counts. A server that accepts but does not answer within the
/// timeout is <see cref="NoAnswer"/>.
/// </summary>
internal static class PlainHttp
{
    private const int MaxReply = 1 << 20;

    /// <summary>The status of a reply that did not come within the timeout.</summary>
    public const int NoAnswer = -1;

    public static (int Status, string Body)? Get(Uri url, TimeSpan timeout, CancellationToken token)
    {
        if (url.Scheme != "http" || url.UserInfo.Length > 0) return null;
        try
        {
            var reply = Exchange(url, timeout, token);
            return reply is null ? null : Parse(reply);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut && !token.IsCancellationRequested)
        {
            return (NoAnswer, "");                // connected, but silent: asking HttpClient would only wait again
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ArgumentException)
        {
            token.ThrowIfCancellationRequested();
            return null;
        }
    }

    private static byte[]? Exchange(Uri url, TimeSpan timeout, CancellationToken token)
    {
        IPAddress[] addresses = IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal) ? [literal] : Dns.GetHostAddresses(url.IdnHost);
        using var socket = Connect(addresses, url.Port, timeout, token);
        if (socket is null) return null;
        var request = $"GET {url.PathAndQuery} HTTP/1.0\r\nHost: {url.Authority}\r\nUser-Agent: batou\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        socket.Send(Encoding.ASCII.GetBytes(request));
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        while (true)
        {
            token.ThrowIfCancellationRequested();
            var read = socket.Receive(chunk);
            if (read == 0) return buffer.ToArray();
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxReply) return null;
        }
    }

    /// <summary>A connected socket to the first address that accepts (as HttpClient tries them), or null.</summary>
    private static Socket? Connect(IPAddress[] addresses, int port, TimeSpan timeout, CancellationToken token)
    {
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            {
                NoDelay = true,
                ReceiveTimeout = (int)timeout.TotalMilliseconds,
                SendTimeout = (int)timeout.TotalMilliseconds,
            };
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(token);
                connect.CancelAfter(timeout);
                socket.ConnectAsync(new IPEndPoint(address, port), connect.Token).AsTask().GetAwaiter().GetResult();
                return socket;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                token.ThrowIfCancellationRequested();
            }
        }
        return null;
    }

    /// <summary>Status and body of a complete HTTP/1.x reply; null for anything this reader does not handle.</summary>
    internal static (int Status, string Body)? Parse(byte[] reply)
    {
        var end = reply.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) return null;
        var head = Encoding.ASCII.GetString(reply, 0, end).Split("\r\n");
        var status = head[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || status[1].Length != 3
            || !int.TryParse(status[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
            return null;
        var body = reply.AsMemory(end + 4);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) return null;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !value.Equals("identity", StringComparison.OrdinalIgnoreCase)) return null;
            if (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) && !value.Equals("identity", StringComparison.OrdinalIgnoreCase)) return null;
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && Charset(value) is { } charset
                && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
                return null;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length) || length > body.Length)
                    return null;
                body = body[..length];
            }
        }
        return (code, Encoding.UTF8.GetString(body.Span));
    }

    private static string? Charset(string contentType)
    {
        foreach (var part in contentType.Split(';').Skip(1))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length == 2 && kv[0].Equals("charset", StringComparison.OrdinalIgnoreCase)) return kv[1].Trim('"');
        }
        return null;
    }
}
