using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace SseWatchers;

/// <summary>What all watchers share: the engine's time stamp of every line, and the "all subscribed" signal.</summary>
internal sealed class Shared(int watchers, int lines)
{
    private int _subscribed;

    /// <summary>The event's <c>at</c> (UTC ticks) of <c>bench line N</c> at index N; 0 = not seen.</summary>
    public long[] At { get; } = new long[lines + 1];

    public int Lines => lines;

    /// <summary>Completes when every watcher received its first <c>ev</c> or <c>evs</c> message; fails when one ends before that.</summary>
    public TaskCompletionSource AllSubscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Subscribed()
    {
        if (Interlocked.Increment(ref _subscribed) == watchers) AllSubscribed.TrySetResult();
    }

    public int SubscribedCount => Volatile.Read(ref _subscribed);

    /// <summary>Messages of other types (<c>queued</c>, or a protocol change this client does not know), by type.</summary>
    public ConcurrentDictionary<string, int> OtherTypes { get; } = new();
}

/// <summary>
/// One browser: a <c>GET /deployments/ID/events</c> stream, parsed as server-sent events (fields <c>event</c>,
/// <c>data</c>, <c>id</c>; a blank line ends an event). The dashboard sends one engine event as an <c>ev</c> message
/// and the events that were waiting as one <c>evs</c> message (a JSON array of the same objects). For every engine
/// event that is a <c>bench line N</c> log line it keeps the arrival time (UTC ticks, one clock read per socket read)
/// at index N.
/// </summary>
internal sealed class Watcher(int index, Shared shared)
{
    private enum Kind { Message, Ev, Evs, Status, Other }

    private static readonly byte[] ElementStart = "{\"s\":"u8.ToArray();
    private static readonly byte[] TextMarker = "\"text\":\"bench line "u8.ToArray();
    private static readonly byte[] AtMarker = "\"at\":"u8.ToArray();

    private byte[] _data = new byte[4096];
    private int _dataLength;
    private bool _hasData;
    private Kind _kind;
    private bool _subscribed;
    private bool _done;
    private int _lastLine;

    public int Index => index;

    /// <summary>Arrival (UTC ticks) of <c>bench line N</c> at index N; 0 = not received.</summary>
    public long[] Arrival { get; } = new long[shared.Lines + 1];

    /// <summary><c>bench line N</c> events received (first arrival of each N).</summary>
    public int Received { get; private set; }

    /// <summary>Engine events received (an <c>evs</c> message carries several).</summary>
    public int Events { get; private set; }

    /// <summary><c>ev</c> and <c>evs</c> messages received.</summary>
    public int Messages { get; private set; }

    public int Duplicates { get; private set; }
    public int OutOfOrder { get; private set; }
    public int Malformed { get; private set; }
    public long Reads { get; private set; }
    public long Bytes { get; private set; }
    /// <summary>The last <c>id</c> field (the server's event number), parsed without allocating.</summary>
    public long LastEventId { get; private set; }
    public string? Status { get; private set; }
    public string? Error { get; private set; }

    public async Task RunAsync(HttpClient http, Uri uri, string cookie, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri)
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
            request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
            request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} (Location: {response.Headers.Location})");
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await ReadAsync(body, ct);
            if (Status is null) Error = "the stream ended without a status event";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Error = "cancelled: still running at the time limit";
        }
        catch (Exception e)
        {
            Error = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            if (!_subscribed)
                shared.AllSubscribed.TrySetException(new InvalidOperationException($"watcher {index} ended before its first event: {Error ?? Status}"));
        }
    }

    private async Task ReadAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        while (!_done)
        {
            if (end == buffer.Length)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                else
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }
            var n = await body.ReadAsync(buffer.AsMemory(end), ct);
            if (n == 0) return;
            var now = DateTime.UtcNow.Ticks;   // the same clock as the engine's DateTimeOffset.UtcNow
            Reads++;
            Bytes += n;
            end += n;
            start = Consume(buffer, start, end, now);
            if (start == end) start = end = 0;
        }
    }

    /// <summary>Handles the complete lines in buffer[start..end]; returns where the incomplete rest begins.</summary>
    private int Consume(byte[] buffer, int start, int end, long now)
    {
        while (start < end && !_done)
        {
            var rest = buffer.AsSpan(start, end - start);
            var nl = rest.IndexOf((byte)'\n');
            if (nl < 0) break;
            var line = rest[..nl];
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            start += nl + 1;
            Line(line, now);
        }
        return start;
    }

    private void Line(ReadOnlySpan<byte> line, long now)
    {
        if (line.IsEmpty)
        {
            Dispatch(now);
            return;
        }
        if (line[0] == (byte)':') return;   // comment (keep-alive)
        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (value.Length > 0 && value[0] == (byte)' ') value = value[1..];
        if (field.SequenceEqual("data"u8))
        {
            if (_hasData) Append("\n"u8);
            Append(value);
            _hasData = true;
        }
        else if (field.SequenceEqual("event"u8))
        {
            _kind = value.SequenceEqual("ev"u8) ? Kind.Ev : value.SequenceEqual("evs"u8) ? Kind.Evs
                : value.SequenceEqual("status"u8) ? Kind.Status : Kind.Other;
            if (_kind == Kind.Other) shared.OtherTypes.AddOrUpdate(Encoding.UTF8.GetString(value), 1, (_, n) => n + 1);
        }
        else if (field.SequenceEqual("id"u8))
        {
            if (Utf8Parser.TryParse(value, out long id, out var used) && used == value.Length) LastEventId = id;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_dataLength + bytes.Length > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, _dataLength + bytes.Length));
        bytes.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += bytes.Length;
    }

    private void Dispatch(long now)
    {
        if (_hasData)
        {
            var data = _data.AsSpan(0, _dataLength);
            if (_kind is Kind.Ev or Kind.Evs)
            {
                Messages++;
                if (!_subscribed)
                {
                    // the first live event: this connection is a subscriber of the deployment in the live hub
                    _subscribed = true;
                    shared.Subscribed();
                }
                Elements(data, now);
            }
            else if (_kind == Kind.Status)
            {
                Status = Encoding.UTF8.GetString(data);
                _done = true;
            }
        }
        _dataLength = 0;
        _hasData = false;
        _kind = Kind.Message;
    }

    /// <summary>
    /// The data of <c>ev</c> is one object <c>{"s":…,"t":…,"h":"…","e":{"$type":"LogLine",…,"text":"bench line N","at":"…"}}</c>,
    /// that of <c>evs</c> an array of them. JSON strings escape their quotes, so <c>{"s":</c>, <c>"text":"bench line </c>
    /// and <c>"at":</c> can only be structure: each object starts at <c>{"s":</c> (the server writes <c>s</c> first),
    /// and within it only <c>e.text</c> and <c>e.at</c> matter. Vectorised searches instead of walking the whole payload,
    /// which is mostly the log line's HTML, full of escapes.
    /// </summary>
    private void Elements(ReadOnlySpan<byte> data, long now)
    {
        var start = data.IndexOf(ElementStart);
        while (start >= 0)
        {
            var rest = data[(start + ElementStart.Length)..];
            var next = rest.IndexOf(ElementStart);
            Events++;
            Measure(next < 0 ? rest : rest[..next], now);
            if (next < 0) break;
            data = rest;
            start = next;
        }
    }

    private void Measure(ReadOnlySpan<byte> json, long now)
    {
        var t = json.IndexOf(TextMarker);
        if (t < 0) return;   // not one of the benchmark's lines
        var digits = json[(t + TextMarker.Length)..];
        var quote = digits.IndexOf((byte)'"');
        if (quote < 0 || !Utf8Parser.TryParse(digits[..quote], out int number, out var used) || used != quote || number < 1 || number > shared.Lines)
        {
            Malformed++;
            return;
        }
        var a = json.IndexOf(AtMarker);
        long at = 0;
        if (a >= 0)
        {
            try
            {
                var reader = new Utf8JsonReader(json[(a + AtMarker.Length)..]);
                if (reader.Read() && reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var stamp)) at = stamp.UtcTicks;
            }
            catch (JsonException)
            {
                // counted below
            }
        }
        if (at == 0)
        {
            Malformed++;
            return;
        }
        if (Arrival[number] != 0)
        {
            Duplicates++;
            return;
        }
        if (number != _lastLine + 1) OutOfOrder++;
        _lastLine = number;
        Arrival[number] = now;
        shared.At[number] = at;   // the same value whichever watcher writes it
        Received++;
    }
}
