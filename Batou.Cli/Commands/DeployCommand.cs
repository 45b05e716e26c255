using System.CommandLine;
using Batou.Cli.Rendering;
using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Cli.Commands;

/// <summary><c>batou deploy [-P] [-c] [-L] [-j N] [-D] [-p PLATFORM] [-t TIMEOUT] [-C DIR] [--only ROOTS] ENVIRONMENT</c></summary>
internal static class DeployCommand
{
    public static Command Create() => Create(out _);

    /// <summary>The command, and how to read its arguments from a parse result (<see cref="ReadWithFullParser"/> uses it too).</summary>
    private static Command Create(out Func<ParseResult, DeployArguments> read)
    {
        var environment = new Argument<string>("environment") { Description = "The environment to deploy (a folder in environments/)." };
        var predict = new Option<bool>("--predict-only", "-P") { Description = "Only show what would change; touch nothing on the targets." };
        var consistency = new Option<bool>("--consistency-only", "-c") { Description = "Only load and configure the model; deploy nothing." };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "How many root components may deploy in parallel (default: the environment's `jobs`)." };
        var dirty = new Option<bool>("--dirty", "-D") { Description = "Allow deploying from a repository with uncommitted or unpushed changes." };
        var platform = new Option<string?>("--platform", "-p") { Description = "Replace the environment's platform (an empty string: no platform); a host's own `platform =` still wins." };
        var local = new Option<bool>("--local", "-L") { Description = "With -P or -c: configure and predict every host on this machine (connect_method = local), connecting nowhere." };
        var timeout = new Option<string?>("--timeout", "-t") { Description = "Override the environment's `timeout` (seconds, or 30s, 5m)." };
        var directory = new Option<string?>("--directory", "-C") { Description = "The deployment repository (default: the current directory or the nearest parent with environments/)." };
        var only = new Option<string[]>("--only") { Description = "Deploy only these roots (component@host, or a host for all its roots; comma separated or repeated). Not in batou." };
        var warm = new Option<string?>("--warm") { Description = "Keep each host's ssh connection and agent alive this long after the run (e.g. 5m; 0: off), whatever `ssh_warm` says." };
        var noWarm = new Option<bool>("--no-warm") { Description = "No warm mode for this run, and end warm agents and connections earlier runs left." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also show the output of the commands components run, line by line as it comes." };
        var command = new Command("deploy", "Deploy an environment.") { environment, predict, consistency, local, jobs, dirty, platform, timeout, directory, only, warm, noWarm, verbose };
        read = result => new DeployArguments(result.GetValue(environment)!)
        {
            Predict = result.GetValue(predict), Consistency = result.GetValue(consistency), Local = result.GetValue(local),
            Dirty = result.GetValue(dirty), NoWarm = result.GetValue(noWarm), Verbose = result.GetValue(verbose),
            Jobs = result.GetValue(jobs), Platform = result.GetValue(platform), Timeout = result.GetValue(timeout),
            Directory = result.GetValue(directory), Warm = result.GetValue(warm), Only = result.GetValue(only) ?? [],
        };
        var readArguments = read;
        command.SetAction((result, token) => Task.FromResult(Run(readArguments(result), token)));
        return command;
    }

    /// <summary>What System.CommandLine reads from <c>batou ARGS</c> for deploy, or <c>null</c> when it reports an error (tests hold <see cref="DeployFastPath"/> to it).</summary>
    internal static DeployArguments? ReadWithFullParser(string[] args)
    {
        var root = new RootCommand { Create(out var read) };
        var result = root.Parse(args);
        return result.Errors.Count == 0 && result.CommandResult.Command.Name == "deploy" ? read(result) : null;
    }

    /// <summary>
    /// Runs the deployment and renders its events; the exit code. Synchronous on purpose: the events are read on the
    /// calling thread (the engine runs on a thread of its own), so no async state machine is JIT-compiled for it.
    /// </summary>
    public static int Run(DeployArguments a, CancellationToken token)
    {
        var console = new ConsoleWriter(Console.Out);
        var repo = RepositoryLocator.Find(a.Directory);
        if (repo is null)
        {
            console.Error($"No such directory: {a.Directory}");
            return 1;
        }
        if (a.Local && !a.Predict && !a.Consistency)
        {
            console.Error(DeploymentRequest.LocalNeedsCheckOrPredict);
            return 1;
        }
        TimeSpan? parsedTimeout = null;
        if (a.Timeout is { } t)
        {
            try { parsedTimeout = Durations.ParseTimeout(t); }
            catch (FormatException e) { console.Error($"--timeout: {e.Message}"); return 1; }
        }
        TimeSpan? parsedWarm = null;
        if (a.Warm is { } w)
        {
            try { parsedWarm = Durations.ParseWarm(w); }
            catch (FormatException e) { console.Error($"--warm: {e.Message}"); return 1; }
            if (a.NoWarm) { console.Error("--warm and --no-warm contradict each other: give one."); return 1; }
        }
        if (a.Jobs is < 1 or > DeploymentRequest.MaxJobs)
        {
            console.Error($"--jobs must be from 1 to {DeploymentRequest.MaxJobs}");
            return 1;
        }
        var request = new DeploymentRequest(repo, a.Environment)
        {
            Mode = a.Predict ? DeploymentMode.Predict : a.Consistency ? DeploymentMode.ConsistencyOnly : DeploymentMode.Deploy,
            Jobs = a.Jobs,
            Dirty = a.Dirty,
            Platform = a.Platform,
            Local = a.Local,
            Timeout = parsedTimeout,
            Ssh = a.NoWarm ? new SshOptions { Warm = TimeSpan.Zero, StopWarm = true }
                : parsedWarm is { } forced ? new SshOptions { Warm = forced } : null,
            Only = a.Only.Count > 0 ? Selection(a.Only) : null,
        };
        // compilations go through the warm compile server (BATOU_COMPILE_SERVER=off keeps them in this process)
#pragma warning disable IL3000 // empty in a single-file build, which runs as its own program (not `dotnet batou.dll`)
        CompileServerControl.EnableForThisProcess(typeof(DeployCommand).Assembly.Location);
#pragma warning restore IL3000
        var renderer = new EventRenderer(console, a.Verbose, request.Local);
        using var interrupt = new Interrupts(token);
        BatouEngine.Run(request, interrupt.Cancel, interrupt.StopNow, renderer.Render);   // events rendered on this thread, in order
        return renderer.Succeeded ? 0 : 1;
    }

    /// <summary><c>--only a,b --only c</c>: the roots and hosts named, in order.</summary>
    private static List<string> Selection(IReadOnlyList<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
            names.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return names;
    }
}
