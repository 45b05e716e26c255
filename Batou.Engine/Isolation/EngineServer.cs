using System.Text;
using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// <c>batou engine</c>: runs one describe, environments or run request for a caller that must not
/// run repository code itself (the dashboard). It leads its own process group, so the caller can
/// kill it with everything it started; it also kills that group itself past its time limit or
/// when the caller is gone and a cancel did not end the run in time.
/// </summary>
public static class EngineServer
{
    /// <summary>Grace after the caller closed stdin before a describe, which cannot be cancelled, is killed.</summary>
    private static readonly TimeSpan s_describeGrace = TimeSpan.FromSeconds(1);
    /// <summary>Slack on top of the caller's limit: the caller kills first, this is for a caller that died.</summary>
    private static readonly TimeSpan s_watchdogSlack = TimeSpan.FromSeconds(5);

    /// <param name="pooled">Started ahead of its request (a pool): warm up first, then wait for the request.</param>
    public static async Task<int> RunAsync(CancellationToken token, bool pooled = false)
    {
        ProcessGroup.BecomeLeader();
        // the managed-heap limit is for this process only, not for the commands components run
        System.Environment.SetEnvironmentVariable("DOTNET_GCHeapHardLimit", null);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var protocol = new StreamWriter(ProcessGroup.TakeStdout(), utf8) { AutoFlush = false };
        using var input = new StreamReader(Console.OpenStandardInput(), utf8);
        var channel = new EngineChannel(protocol);
        channel.Send(new EngineHello(System.Environment.ProcessId, BatouEngine.Version));
        // before anything observes: the warm-up's own configure must not be reported as the request's progress
        if (pooled) await Warmup.RunAsync().ConfigureAwait(false);
        var crashes = new CrashReporter(channel);
        EngineActivity.Observe(crashes.Progress);
        AppDomain.CurrentDomain.UnhandledException += (_, e) => crashes.Report(e.ExceptionObject);

        var first = await input.ReadLineAsync(token).ConfigureAwait(false);
        if (first is null) return 2;
        EngineCall call;
        try
        {
            call = EngineJson.Read(first) as EngineCall ?? throw new System.Text.Json.JsonException("not a request");
        }
        catch (System.Text.Json.JsonException e)
        {
            channel.Send(new EngineFailure(BatouError.Create("ProtocolError", "The engine process received a request it cannot read", ("Problem", e.Message))));
            return 2;
        }
        foreach (var (name, value) in call.Variables ?? []) System.Environment.SetEnvironmentVariable(name, value);
        crashes.Repository = call switch
        {
            DescribeCall d => d.Repository,
            RunCall r => r.Request.RepositoryRoot,
            _ => null,
        };
        if (call.LimitSeconds is { } limit) Watchdog.KillAfter(TimeSpan.FromSeconds(limit) + s_watchdogSlack);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var stopNow = new CancellationTokenSource();
        var grace = call is RunCall run ? TimeSpan.FromSeconds(run.CancelGraceSeconds) : s_describeGrace;
        _ = Task.Run(() => ListenAsync(input, cancel, stopNow, grace), CancellationToken.None);
        try
        {
            switch (call)
            {
                case DescribeCall describe:
                    channel.Send(new OverviewResult(Describe(describe)));
                    break;
                case EnvironmentsCall environments:
                    channel.Send(new EnvironmentsResult(BatouEngine.Environments(environments.Repository)));
                    break;
                case RunCall r:
                    await foreach (var e in BatouEngine.RunAsync(r.Request, cancel.Token, stopNow.Token).ConfigureAwait(false))
                    {
                        if (e is RootScheduled scheduled) crashes.Progress("deploying", scheduled.Host, scheduled.Component);
                        // the engine kills running commands when the grace ends; this process follows shortly after if it has not ended
                        if (e is CancelRequested cancelling) Watchdog.KillAfter(cancelling.Grace + s_watchdogSlack);
                        channel.Send(new EngineEvent(e));
                    }
                    channel.Send(new RunDone());
                    break;
            }
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // not repository code (that is caught where it runs): a broken installation or a bug
            channel.Send(new EngineFailure(BatouError.Create("EngineFailure", "The engine process failed (a bug in batou or a broken installation)",
                ("Exception", crashes.Mask($"{e.GetType().Name}: {e.Message}")))));
            return 1;
        }
    }

    private static EnvironmentOverview Describe(DescribeCall call)
    {
        try
        {
            return BatouEngine.Describe(call.Repository, call.Environment, call.SecretSalt);
        }
        catch (BatouException e)
        {
            return new EnvironmentOverview(call.Environment, [], [], e.Errors, []);
        }
    }

    /// <summary>
    /// After the request only <c>cancel</c> and <c>stop-now</c> are read; a closed stdin (the caller is gone) cancels
    /// too, and this process ends at the latest after the caller's grace.
    /// </summary>
    private static async Task ListenAsync(StreamReader input, CancellationTokenSource cancel, CancellationTokenSource stopNow, TimeSpan grace)
    {
        try
        {
            while (await input.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0) continue;
                switch (SafeRead(line))
                {
                    case CancelCall:
                        await cancel.CancelAsync().ConfigureAwait(false);
                        break;
                    case StopNowCall:
                        await cancel.CancelAsync().ConfigureAwait(false);
                        await stopNow.CancelAsync().ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (IOException)
        {
            // stdin broke: the caller is gone, same as closing it
        }
        await cancel.CancelAsync().ConfigureAwait(false);
        Watchdog.KillAfter(grace + s_watchdogSlack);
    }

    private static EngineMessage? SafeRead(string line)
    {
        try
        {
            return EngineJson.Read(line);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
