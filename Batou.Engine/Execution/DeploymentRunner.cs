using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Loading;
using Batou.Engine.Planning;

namespace Batou.Engine.Execution;

/// <summary>
/// One run: load, connect and configure, deploy. Everything it does is reported as events. A cancel
/// (<paramref name="token"/>) is two-stage: nothing new starts at once, and commands still running are killed
/// when the grace period (<c>cancel_grace</c>) ends or <paramref name="stopNow"/> is cancelled.
/// </summary>
internal sealed class DeploymentRunner(DeploymentRequest request, Action<DeploymentEvent> emit, CancellationToken token, CancellationToken stopNow = default)
{
    private readonly string _baseDir = Path.GetFullPath(request.RepositoryRoot);
    private readonly Stopwatch _connect = new();
    private readonly Stopwatch _deploy = new();
    private LoadedEnvironment? _environment;

    /// <summary>The environment as loaded once per run (a class: a nullable value tuple here was JIT-compiled in every run).</summary>
    private sealed record LoadedEnvironment(EnvironmentConfig? Config, List<BatouError> Errors, List<BatouError> Warnings);

    /// <summary>
    /// <see cref="Run"/> on a thread of its own: the run blocks that thread while it waits (for configuring, connecting,
    /// each root), so no thread-pool thread is held and no async state machine of the engine's is JIT-compiled on the
    /// way (docs/decisions.md, "Engine performance", fourth round).
    /// </summary>
    public Task RunAsync() => Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Run()
    {
        var phase = Phase.Load;
        var jobs = request.Jobs ?? ConfiguredJobs();
        emit(new DeploymentStarted(request.Environment, request.Mode, BatouEngine.Version, jobs));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token, stopNow);
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(stopNow);
        using var onStop = stop.Token.Register(() => StartGrace(kill));
        using var onStopNow = stopNow.Register(() => emit(new CancelRequested(TimeSpan.Zero)));
        try
        {
            CheckRequest();
            using var _ = DeploymentLock.Acquire(_baseDir);
            var model = Load();
            if (model is null) { Finish(false, Phase.Load, 1); return; }
            var selection = RootSelection.Resolve(model, request.Only, request.Environment);   // unknown names end the run here
            Remote.RepositoryCheck.Run(model, request.Dirty, emit, stop.Token);   // before any host is touched; throws during load

            phase = Phase.Connect;
            _connect.Start();
            var localCheck = request.Local && request.Mode == DeploymentMode.ConsistencyOnly;
            emit(new StepStarted(Phase.Connect, "connect", localCheck ? "LOCAL CONSISTENCY CHECK" : "Connecting hosts and configuring model ..."));
            if (!localCheck) AnnounceHosts(model);   // batou's local check connects nothing, so it lists no host
            // the hosts are reached while the model configures here; nothing travels to a host before
            // it configured, and what connecting reports follows what configuring reported, as before
            using var stopConnecting = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var connectEvents = new List<DeploymentEvent>();
            using var connections = new HostConnections(model, request.Platform, e => { lock (connectEvents) connectEvents.Add(e); }, stopConnecting.Token, request.Ssh);
            IReadOnlyList<BatouError> remoteErrors = [];
            if (connections.TryConnectLocal())
            {
                // nothing to reach: configure here, as the task below would (which starts nothing once cancelled)
                stop.Token.ThrowIfCancellationRequested();
                var errors = ConfigureAndBuild(model, stop.Token);
                if (errors > 0) { Finish(false, Phase.Connect, errors); return; }
            }
            else
            {
                var errors = ConfigureWhileConnecting(model, connections, stopConnecting, stop.Token, out var connect);
                if (errors > 0) { Finish(false, Phase.Connect, errors); return; }
                remoteErrors = connect.GetAwaiter().GetResult();
            }
            foreach (var e in connectEvents) emit(e);
            _connect.Stop();
            if (remoteErrors.Count > 0)
            {
                emit(new ConfigurationFailed(remoteErrors));
                Finish(false, Phase.Connect, remoteErrors.Count);
                return;
            }
            var hosts = connections.Executors;
            if (request.Mode == DeploymentMode.ConsistencyOnly) { Finish(true, null, 0); return; }

            phase = Phase.Deploy;
            emit(new StepStarted(Phase.Deploy, "deploy", request.Mode == DeploymentMode.Predict ? "Predicting deployment actions" : "Deploying"));
            _deploy.Start();
            var scheduler = new RootScheduler(model, hosts, jobs, request.Mode == DeploymentMode.Predict, emit, stop.Token, kill.Token, selection);
            var failures = scheduler.Run();
            _deploy.Stop();
            Finish(failures == 0, failures == 0 ? null : Phase.Deploy, failures);
        }
        catch (BatouException e)
        {
            foreach (var error in e.Errors) emit(new ErrorRaised(error));
            Finish(false, phase, e.Errors.Count);
        }
        catch (OperationCanceledException)
        {
            emit(new ErrorRaised(BatouError.Create("Cancelled", "Deployment cancelled")));
            Finish(false, phase, 1);
        }
        catch (Exception e)
        {
            emit(new ErrorRaised(BatouError.Create("UnexpectedError", "Unexpected error (this is a bug in batou)",
                ("Exception", $"{e.GetType().Name}: {e.Message}")) with { Body = e.StackTrace }));
            Finish(false, phase, 1);
        }
    }

    /// <summary>The first stage of a cancel: announce the grace period and kill running commands when it ends.</summary>
    private void StartGrace(CancellationTokenSource kill)
    {
        var grace = _environment?.Config?.Settings.CancelGrace ?? request.CancelGrace ?? Util.Durations.DefaultCancelGrace;
        if (stopNow.IsCancellationRequested) return;   // announced by the stop-now registration
        emit(new CancelRequested(grace));
        try
        {
            if (grace <= TimeSpan.Zero) kill.Cancel();
            else kill.CancelAfter(grace);
        }
        catch (ObjectDisposedException)
        {
            // the run just ended
        }
    }

    /// <summary>
    /// Configures the model on the thread pool while the hosts are reached (<paramref name="connect"/>); the configure
    /// errors. Nothing travels to a host before configuring succeeded; when it failed, connecting is stopped.
    /// </summary>
    private int ConfigureWhileConnecting(ComponentModel model, HostConnections connections, CancellationTokenSource stopConnecting, CancellationToken stopToken,
        out Task<IReadOnlyList<BatouError>> connect)
    {
        var configure = Task.Run(() => ConfigureAndBuild(model, stopToken), stopToken);
        var configured = configure.ContinueWith(t => t.IsCompletedSuccessfully && t.Result == 0, TaskScheduler.Default);
        // BATOU_CONNECT_PARALLEL=0: connect only after configuring (as before; for comparisons)
        var sequential = System.Environment.GetEnvironmentVariable("BATOU_CONNECT_PARALLEL") == "0";
        connect = sequential && !configured.GetAwaiter().GetResult()
            ? Task.FromResult<IReadOnlyList<BatouError>>([])
            : connections.ConnectAsync(configured);
        try
        {
            return configure.GetAwaiter().GetResult();
        }
        finally
        {
            if (!configure.IsCompletedSuccessfully || configure.Result > 0) Stop(stopConnecting, connect);
        }
    }

    /// <summary>
    /// The configure step the transfers wait for: what components build on the controller (dotnet publish) exists
    /// before anything travels to a host (and is part of what the transfer fingerprint covers).
    /// </summary>
    private int ConfigureAndBuild(ComponentModel model, CancellationToken stopToken) =>
        Remote.ConnectProfile.Measure("(controller)", "configure", () =>
        {
            var failed = Configure(model);
            if (failed == 0 && request.Mode == DeploymentMode.Deploy) model.Builds.Run(emit, stopToken);
            return failed;
        });

    /// <summary>Ends connecting after the configure step failed: its outcome no longer matters.</summary>
    private static void Stop(CancellationTokenSource stop, Task<IReadOnlyList<BatouError>> connect)
    {
        stop.Cancel();
        try { connect.GetAwaiter().GetResult(); }
        catch (Exception) { }   // cancelled, or failed on its own: the configure errors are what is reported
    }

    /// <summary>The dashboard fills a request without the CLI's checks: the same limits apply.</summary>
    private void CheckRequest()
    {
        if (request.Jobs is < 1 or > DeploymentRequest.MaxJobs)
            throw new BatouException(BatouError.Create("InvalidRequest", "Invalid number of parallel jobs",
                ("Jobs", request.Jobs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Expected", $"1 to {DeploymentRequest.MaxJobs}")));
        if (request.Timeout is { } t && (t <= TimeSpan.Zero || t > Util.Durations.MaxTimeout))
            throw new BatouException(BatouError.Create("InvalidRequest", "Invalid timeout",
                ("Timeout", t.ToString()), ("Expected", $"above 0, at most {Util.Durations.MaxTimeout.TotalDays:0}d")));
        if (request.Local && request.Mode == DeploymentMode.Deploy)
            throw new BatouException(BatouError.Create("InvalidRequest", DeploymentRequest.LocalNeedsCheckOrPredict));
    }

    /// <summary>The environment's <c>jobs</c> for the start event (the real load reports any problem with the file).</summary>
    private int ConfiguredJobs()
    {
        try
        {
            // the load step reuses this parse (and reports its errors): environment.cfg is read once per run
            var loaded = LoadEnvironment();
            return loaded.Config?.Settings.Jobs ?? 1;
        }
        catch (IOException)
        {
            return 1;
        }
        catch (UnauthorizedAccessException)
        {
            return 1;
        }
        catch (Exception)
        {
            return 1;   // outside the run's error handling: the load step reports whatever this was
        }
    }

    private ComponentModel? Load()
    {
        emit(new StepStarted(Phase.Load, "load", $"Loading environment `{request.Environment}`..."));
        var (config, errors, warnings) = _environment ?? LoadEnvironment();
        ComponentModel? model = null;
        if (config is not null)
        {
            emit(new StepStarted(Phase.Load, "components", "Loading components ..."));
            var library = ComponentLoader.Load(_baseDir, errors);
            if (errors.Count == 0)
            {
                emit(new StepStarted(Phase.Load, "secrets", "Loading secrets ..."));
                var (withSecrets, secrets) = Secrets.SecretsStep.Run(_baseDir, config, library, request.Mode == DeploymentMode.Deploy, errors, warnings);
                // from here on every event (errors, logs, command output) has secret values masked
                emit = Secrets.SecretRedactor.Wrap(emit, secrets.Needles);
                if (errors.Count == 0)
                    model = ModelBuilder.Build(_baseDir, withSecrets, library, request.Platform, request.Timeout, errors, secrets);
                if (model is not null) model.Secrets = secrets;
            }
            if (model is not null)
            {
                model.ComponentAssembly = library.AssemblyPath;
                model.PackagesDirectory = library.PackagesDirectory;
            }
        }
        foreach (var warning in warnings) emit(new WarningRaised(warning));
        foreach (var error in errors) emit(new ErrorRaised(error));
        return errors.Count == 0 ? model : null;
    }

    private LoadedEnvironment LoadEnvironment()
    {
        var errors = new List<BatouError>();
        var warnings = new List<BatouError>();
        var config = EnvironmentLoader.Load(_baseDir, request.Environment, errors, warnings);
        // -L: an ssh environment is configured and predicted here, in the repository itself
        if (config is not null && request.Local) config = config with { Settings = config.Settings with { ConnectMethod = "local" } };
        _environment = new LoadedEnvironment(config, errors, warnings);
        return _environment;
    }

    private void AnnounceHosts(ComponentModel model)
    {
        var hosts = model.Environment.Hosts;
        for (var i = 0; i < hosts.Count; i++)
        {
            if (hosts[i].Ignore) emit(new HostIgnored(hosts[i].Name, i + 1, hosts.Count));
            else emit(new HostConnecting(hosts[i].Name, model.Environment.Settings.ConnectMethod, i + 1, hosts.Count));
        }
    }

    private int Configure(ComponentModel model)
    {
        var result = WallClock.Run(() => ModelConfigurator.Configure(model), model.Environment.Settings.Timeout, "configure");
        foreach (var warning in result.Warnings) emit(new WarningRaised(warning));
        foreach (var (root, text) in result.Logs) emit(new ConfigureLog(root, text));
        if (result.Errors.Count > 0)
        {
            emit(new ConfigurationFailed(result.Errors));
            return result.Errors.Count;
        }
        emit(new ModelConfigured(model.Order.Select(r => new RootSummary(r.Host.Name, r.Name,
            model.Graph!.DependenciesOf(r).Select(d => d.Id).ToList(), r.Ignore, IgnoreReason(r))).ToList()));
        return 0;
    }

    internal static string? IgnoreReason(RootComponent root) =>
        root.Host.Ignore ? "Host ignored" : root.Ignore ? "Component ignored" : null;

    private void Finish(bool success, Phase? failedDuring, int errors) =>
        emit(new DeploymentFinished(success, request.Mode, failedDuring, errors, _connect.Elapsed, _deploy.Elapsed));
}
