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
        root.Subcommands.Add(EngineCommand.Create());
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
