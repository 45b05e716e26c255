using System.CommandLine;
using System.Runtime.CompilerServices;
using Batou.Cli.Commands;

namespace Batou.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // the warm relay starts on every warm run (docs/remote.md, "Warm mode"): no command-line parser on its path
        if (args is ["agent", "--warm", var seconds] && int.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var warm) && warm > 0)
        {
            CrashGuard.Install(agent: true);
            var relayed = Batou.Engine.Remote.Warm.WarmRelay.RunAsync(TimeSpan.FromSeconds(warm), () => AgentCommand.ColdAsync(CancellationToken.None)).GetAwaiter().GetResult();
            CrashGuard.Done();
            Environment.Exit(relayed);
        }
        // the warm compile server (docs/components.md, "The compile server"), started by a deployment's first compilation
        if (args.Length > 0 && args[0] == "compile-server") return CompileServerCommand.Run(args);
        // the everyday `deploy [flags] ENVIRONMENT` skips System.CommandLine (docs/decisions.md, "Engine performance");
        // everything else, help and errors included, goes through the full parser below
        if (DeployFastPath.TryParse(args) is { } deploy)
        {
            CrashGuard.Install(agent: false);
            var deployed = DeployCommand.Run(deploy, CancellationToken.None);
            CrashGuard.Done();
            // a foreground thread a component left running would keep the process alive: batou is done
            Environment.Exit(deployed);
            return deployed;
        }
        return Parse(args).GetAwaiter().GetResult();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // System.CommandLine is loaded only when this runs
    private static async Task<int> Parse(string[] args)
    {
        var root = new RootCommand("batou: deploy components written in C# to hosts described by environments.");
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(SecretsCommand.Create());
        root.Subcommands.Add(AgentCommand.Create());
        root.Subcommands.Add(EngineCommand.Create());
        // `batou engine` reports crashes itself, to its caller (Isolation/CrashReporter); the other modes use the guard
        var engine = args.FirstOrDefault() is "engine";
        if (!engine) CrashGuard.Install(agent: args.FirstOrDefault() is "agent");   // the agent keeps stdout for JSON
        // deploy handles Ctrl-C itself (first: stop after the running component, second: stop now); the library's
        // handler would end the process two seconds after the first Ctrl-C, in the middle of the grace period
        var invocation = new InvocationConfiguration();
        if (args.FirstOrDefault() is "deploy") invocation.ProcessTerminationTimeout = null;
        var code = await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
        if (engine) return code;
        CrashGuard.Done();
        // a foreground thread a component left running would keep the process alive: batou is done
        Environment.Exit(code);
        return code;
    }
}
