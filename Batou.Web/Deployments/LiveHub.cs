using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Batou.Web.Deployments;

/// <summary>One stored event as it goes to browsers: its number, its type tag and its JSON.</summary>
public sealed record LiveEvent(int Seq, string Type, string Json)
{
    private string? _sseData;

    /// <summary>The SSE payload (number, type, log line as HTML, event), built once however many browsers watch.</summary>
    public string SseData => _sseData ??= Build();

    private string Build()
    {
        var html = LogFormatter.Html(Seq, Batou.Engine.Api.EventJson.Deserialize(Json));
        return $"{{\"s\":{Seq},\"t\":\"{Type}\",\"h\":{System.Text.Json.JsonSerializer.Serialize(html)},\"e\":{Json}}}";
    }
}

/// <summary>
/// The events of running deployments, in memory, fanned out to every subscriber (SSE connection).
/// A subscriber gets everything after the sequence number it already has, then new events as they come.
/// Starting and finishing are announced on the <see cref="Live.ActivityFeed"/>, so every open page learns of them.
/// </summary>
public sealed class LiveHub(Live.ActivityFeed feed)
{
    private readonly ConcurrentDictionary<long, LiveDeployment> _live = new();

    public void Start(long id)
    {
        _live[id] = new LiveDeployment();
        feed.Publish(id, DeploymentStatus.Running);
    }

    public void Publish(long id, LiveEvent e)
    {
        if (_live.TryGetValue(id, out var d)) d.Publish(e);
    }

    /// <summary>Ends the stream of <paramref name="id"/> with its final status; late subscribers read the database.</summary>
    public void Finish(long id, string status)
    {
        if (!_live.TryGetValue(id, out var d)) return;
        d.Finish(status);
        feed.Publish(id, status);
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => _live.TryRemove(new KeyValuePair<long, LiveDeployment>(id, d)), TaskScheduler.Default);
    }

    /// <summary>Null when the deployment is not running in this process.</summary>
    public LiveSubscription? Subscribe(long id, int afterSeq) =>
        _live.TryGetValue(id, out var d) ? d.Subscribe(afterSeq) : null;

    private sealed class LiveDeployment
    {
        private readonly List<LiveEvent> _events = [];
        private readonly List<Channel<LiveEvent>> _subscribers = [];
        private string? _final;

        public void Publish(LiveEvent e)
        {
            lock (_events)
            {
                _events.Add(e);
                foreach (var s in _subscribers) s.Writer.TryWrite(e);
            }
        }

        public void Finish(string status)
        {
            lock (_events)
            {
                _final = status;
                foreach (var s in _subscribers) s.Writer.TryComplete();
                _subscribers.Clear();
            }
        }

        public LiveSubscription Subscribe(int afterSeq)
        {
            var channel = Channel.CreateUnbounded<LiveEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
            lock (_events)
            {
                var start = _events.FindIndex(e => e.Seq > afterSeq);
                if (start >= 0)
                    for (var i = start; i < _events.Count; i++) channel.Writer.TryWrite(_events[i]);
                if (_final is null) _subscribers.Add(channel);
                else channel.Writer.TryComplete();
            }
            return new LiveSubscription(channel.Reader, () => FinalStatus, () =>
            {
                lock (_events)
                {
                    _subscribers.Remove(channel);
                }
            });
        }

        private string? FinalStatus
        {
            get
            {
                lock (_events) return _final;
            }
        }
    }
}

public sealed class LiveSubscription(ChannelReader<LiveEvent> reader, Func<string?> finalStatus, Action unsubscribe) : IDisposable
{
    public ChannelReader<LiveEvent> Reader { get; } = reader;
    public string? FinalStatus => finalStatus();
    public void Dispose() => unsubscribe();
}
