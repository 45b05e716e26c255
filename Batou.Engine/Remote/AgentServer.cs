using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Execution;
using Batou.Engine.Loading;
using Batou.Engine.Planning;

namespace Batou.Engine.Remote;

/// <summary>
/// <c>batou agent</c>: runs on a target, reads requests from stdin, configures the model with the
/// components the controller compiled, deploys the root components it is asked for and streams
/// every event back as it happens.
/// </summary>
public static class AgentServer
{
    /// <param name="warm">Set when a warm agent serves this session (<see cref="Warm.WarmServer"/>): told to the controller with the lock.</param>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken token, WarmSession? warm = null)
    {
        var gate = new object();
        var connected = true;
        void Send(AgentMessage message)
        {
            var line = AgentJson.Write(message);
            lock (gate)
            {
                if (!connected) return;
                try
                {
                    output.Write(line);
                    output.Write('\n');
                    output.Flush();
                }
                catch (IOException)
                {
                    connected = false;   // the controller is gone; the read loop ends and cancels what runs
                }
            }
        }

        (ComponentModel Model, string Host)? state = null;
        Action<DeploymentEvent> emitEvent = e => Send(new EventMessage(e));
        Task? running = null;
        CancellationTokenSource? current = null;
        CancellationTokenSource? currentKill = null;
        AgentLock? targetLock = null;
        try
        {
            while (await ReadAsync(input, token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0) continue;
                AgentMessage request;
                try
                {
                    request = AgentJson.Read(line);
                }
                catch (System.Text.Json.JsonException e)
                {
                    Send(new AgentFailure(BatouError.Create("ProtocolError", "The agent received a message it cannot read", ("Problem", e.Message))));
                    continue;
                }
                switch (request)
                {
                    case SetupRequest setup:
                        // the controller transferred (the lock is held): remember what the target holds now
                        if (setup.Record is { } transferred && targetLock is not null) TransferState.Record(transferred);
                        var (model, configured) = Setup(setup);
                        state = model is null ? null : (model, setup.Host);
                        // events leaving this host never carry a secret value, whatever a component logs
                        emitEvent = Secrets.SecretRedactor.Wrap(e => Send(new EventMessage(e)), setup.Secrets?.Needles ?? []);
                        Send(configured);
                        break;
                    case DeployRequest deploy when state is { } s:
                        // the controller sends one deploy at a time, after the previous "done": that task is finishing
                        if (running is not null) await running.ConfigureAwait(false);
                        // deploy in the background so a cancel request can still be read
                        var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
                        var kill = CancellationTokenSource.CreateLinkedTokenSource(token);
                        lock (gate) (current, currentKill) = (cancel, kill);
                        var emitter = emitEvent;
                        running = Task.Run(() =>
                        {
                            try { Send(Deploy(s.Model, s.Host, deploy, emitter, cancel.Token, kill.Token)); }
                            finally { lock (gate) { (current, currentKill) = (null, null); cancel.Dispose(); kill.Dispose(); } }
                        }, CancellationToken.None);
                        break;
                    case CancelRequest:
                        lock (gate) current?.Cancel();
                        break;
                    case StopNowRequest:
                        lock (gate) { current?.Cancel(); currentKill?.Cancel(); }
                        break;
                    case LockRequest lockRequest when targetLock is null:
                        try
                        {
                            targetLock = AgentLock.Acquire(ExpandHome(lockRequest.TargetDirectory), lockRequest.Controller);
                            Send(new Locked(null, lockRequest.Check is { } check && TransferState.IsCurrent(check), warm));
                        }
                        catch (BatouException e)
                        {
                            Send(new Locked(e.Errors[0], false, warm));
                        }
                        break;
                    default:
                        Send(new AgentFailure(BatouError.Create("ProtocolError", "Unexpected request", ("Request", request.GetType().Name))));
                        break;
                }
            }
            // the controller's connection ended (stdin closed): like a cancel, the running component
            // finishes and nothing after it starts
            lock (gate) current?.Cancel();
            if (running is not null) await running.ConfigureAwait(false);
        }
        finally
        {
            targetLock?.Dispose();
        }
        return 0;
    }

    /// <summary>The next request line; null when the controller's connection has ended.</summary>
    private static async Task<string?> ReadAsync(TextReader input, CancellationToken token)
    {
        try
        {
            return await input.ReadLineAsync(token).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static (ComponentModel?, Configured) Setup(SetupRequest setup)
    {
        var errors = new List<BatouError>();
        var warnings = new List<BatouError>();
        var baseDir = Path.GetFullPath(ExpandHome(setup.Repository));
        var config = EnvironmentLoader.Load(baseDir, setup.Environment, errors, warnings);
        if (config is null) return (null, new Configured(errors, warnings));
        var packages = setup.PackagesDirectory is null ? null : Path.Combine(baseDir, setup.PackagesDirectory);
        var library = ComponentLoader.LoadPrebuilt(baseDir, Path.Combine(baseDir, setup.ComponentAssembly), packages, errors);
        var timeout = setup.TimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        var secrets = setup.Secrets?.ToSet();
        if (secrets is not null && errors.Count == 0) config = Secrets.SecretInjector.Inject(config, secrets, library, errors);
        var model = errors.Count == 0 ? ModelBuilder.Build(baseDir, config, library, setup.Platform, timeout, errors, secrets) : null;
        if (model is null) return (null, new Configured(errors, warnings));
        ModelConfigurator.Result result;
        try
        {
            result = WallClock.Run(() => ModelConfigurator.Configure(model), model.Environment.Settings.Timeout, "configure");
        }
        catch (BatouException e)
        {
            return (null, new Configured(e.Errors, warnings));
        }
        return (result.Errors.Count == 0 ? model : null, new Configured(result.Errors, warnings.Concat(result.Warnings).ToList()));
    }

    private static DeployDone Deploy(ComponentModel model, string host, DeployRequest request, Action<DeploymentEvent> emit, CancellationToken token, CancellationToken kill)
    {
        var root = model.Roots.FirstOrDefault(r => r.Name == request.Root && r.Host.Name == host);
        if (root?.Instance is null)
            return new DeployDone(false, false, BatouError.Create("ProtocolError", "Unknown root component", ("Component", request.Root)));
        var session = new DeploySession(request.Predict, emit, token, kill);
        root.Session = session;
        try
        {
            root.Instance.DeployTree(session);
            return new DeployDone(true, root.Instance.Changed, null);
        }
        catch (ComponentFailure failure)
        {
            return new DeployDone(false, root.Instance.Changed, failure.Error);
        }
        catch (OperationCanceledException)
        {
            return new DeployDone(false, root.Instance.Changed, BatouError.Create("Cancelled", "Deployment cancelled"));
        }
        finally
        {
            session.MakeDurable();
            root.Session = null;
        }
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
}
