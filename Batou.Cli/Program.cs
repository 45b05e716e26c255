using System.CommandLine;
using Batou.Cli.Commands;

namespace Batou.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("batou: deploy components written in C# to hosts described by environments.");
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(SecretsCommand.Create());
        root.Subcommands.Add(AgentCommand.Create());
        CrashGuard.Install(agent: args.FirstOrDefault() is "agent" or "engine");   // machine modes keep stdout for JSON
        var code = await root.Parse(args).InvokeAsync().ConfigureAwait(false);
        CrashGuard.Done();
        // a foreground thread a component left running would keep the process alive: batou is done
        Environment.Exit(code);
        return code;
    }
}
