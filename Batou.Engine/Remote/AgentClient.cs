using Batou.Engine.Api;
using Batou.Engine.Execution;
using Batou.Engine.Planning;

namespace Batou.Engine.Remote;

/// <summary>
/// The controller's end of one host's agent session: sends requests, relays the agent's events
/// as they arrive, and turns a lost connection into a clear error naming the host.
/// </summary>
internal sealed class AgentClient : IHostExecutor, IDisposable
{
    private readonly IRemoteProcess _process;
    private readonly string _host;
    private readonly SemaphoreSlim _oneAtATime = new(1);
    private readonly SemaphoreSlim _writing = new(1);
    private readonly Task _reader;
    private readonly Task<string> _stderr;
    private TaskCompletionSource<AgentMessage>? _pending;
    private Action<DeploymentEvent>? _emit;
    private readonly Lock _gate = new();

    public AgentClient(IRemoteProcess process, string host)
    {
        _process = process;
        _host = host;
        _stderr = process.Error.ReadToEndAsync();
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The warm agent serving this session (from the lock reply), or null for a cold agent.</summary>
    public WarmSession? Warm { get; set; }

    public async Task<Configured> SetupAsync(SetupRequest request, TimeSpan timeout, CancellationToken token)
    {
        var reply = await SendAsync(request, null, timeout, token).ConfigureAwait(false);
        return reply as Configured ?? throw Lost($"unexpected reply {reply.GetType().Name} to setup");
    }

    /// <summary>Locks the target directory on the host: the error naming who holds it, or whether the target is current (<see cref="LockRequest.Check"/>).</summary>
    public async Task<Locked> LockAsync(LockRequest request, TimeSpan timeout, CancellationToken token)
    {
        var reply = await SendAsync(request, null, timeout, token).ConfigureAwait(false);
        return reply as Locked ?? throw Lost($"unexpected reply {reply.GetType().Name} to lock");
    }

    public async Task DeployRootAsync(RootComponent root, DeploySession session)
    {
        await _oneAtATime.WaitAsync(session.Token).ConfigureAwait(false);
        try
        {
            // cancelling asks the agent to stop after the component it is running; when the grace period ends, to kill its commands
            using var cancel = session.Token.Register(() => _ = SendLineAsync(new CancelRequest()));
            using var kill = session.Kill.Register(() => _ = SendLineAsync(new StopNowRequest()));
            var reply = await SendAsync(new DeployRequest(root.Name, session.Predicting), session.Emit, System.Threading.Timeout.InfiniteTimeSpan, CancellationToken.None).ConfigureAwait(false);
            switch (reply)
            {
                case DeployDone { Ok: true } done:
                    root.RemoteChanged = done.Changed;
                    return;
                case DeployDone done:
                    throw new ComponentFailure(done.Error ?? BatouError.Create("RemoteError", "The deployment failed on the host", ("Host", _host)), new InvalidOperationException("remote failure"));
                case AgentFailure failure:
                    throw new ComponentFailure(failure.Error with { Host = _host }, new InvalidOperationException("agent failure"));
                default:
                    throw Lost($"unexpected reply {reply.GetType().Name}");
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<AgentMessage> SendAsync(AgentMessage request, Action<DeploymentEvent>? emit, TimeSpan timeout, CancellationToken token)
    {
        var pending = new TaskCompletionSource<AgentMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_reader.IsCompleted) throw Lost("the connection is closed");
            _pending = pending;
            _emit = emit;
        }
        await SendLineAsync(request, token).ConfigureAwait(false);
        var finished = await Task.WhenAny(pending.Task, Task.Delay(timeout, token)).ConfigureAwait(false);
        if (finished != pending.Task)
        {
            token.ThrowIfCancellationRequested();
            throw new ComponentFailure(BatouError.Create("RemoteTimeout", "The host did not answer in time",
                ("Host", _host), ("Waited", $"{timeout.TotalSeconds:0}s (environment setting `timeout`)")) with { Host = _host }, new TimeoutException());
        }
        return await pending.Task.ConfigureAwait(false);
    }

    private async Task SendLineAsync(AgentMessage message, CancellationToken token = default)
    {
        await _writing.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await _process.Input.WriteLineAsync(AgentJson.Write(message).AsMemory(), token).ConfigureAwait(false);
            await _process.Input.FlushAsync(token).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the agent is gone; the reader reports the lost connection
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _process.Output.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0) continue;
                AgentMessage message;
                try
                {
                    message = AgentJson.Read(line);
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;   // not ours (e.g. a login banner); the protocol lines are JSON
                }
                if (message is EventMessage e)
                {
                    _emit?.Invoke(e.Event);
                    continue;
                }
                TaskCompletionSource<AgentMessage>? pending;
                lock (_gate)
                {
                    pending = _pending;
                    _pending = null;
                }
                pending?.TrySetResult(message);
            }
        }
        finally
        {
            TaskCompletionSource<AgentMessage>? pending;
            lock (_gate)
            {
                pending = _pending;
                _pending = null;
            }
            pending?.TrySetException(Lost("the connection closed"));
        }
    }

    private ComponentFailure Lost(string what)
    {
        var stderr = _stderr.IsCompleted ? _stderr.Result.Trim() : "";
        var error = BatouError.Create("ConnectionLost", "Lost the connection to the agent", ("Host", _host), ("Problem", what)) with
        {
            Host = _host,
            Body = stderr.Length == 0 ? null : "STDERR\n" + stderr,
        };
        return new ComponentFailure(error, new IOException(what));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.CloseAndWait(TimeSpan.FromSeconds(10))) _process.Kill();
        }
        catch (InvalidOperationException) { }
        catch (IOException) { }
        _process.Dispose();
    }
}
