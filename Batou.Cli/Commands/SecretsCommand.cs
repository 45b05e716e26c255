using System.CommandLine;
using Batou.Cli.Rendering;
using Batou.Engine.Api;

namespace Batou.Cli.Commands;

/// <summary>
/// <c>batou secrets edit | summary | add | remove | reencrypt | decrypttostdout</c>: manage the
/// encrypted secrets of environments. Values are only ever shown by <c>edit</c> (in your editor)
/// and <c>decrypttostdout</c> (for <c>git diff</c>'s textconv).
/// </summary>
internal static class SecretsCommand
{
    public static Command Create()
    {
        var command = new Command("secrets", "Manage the encrypted secrets of environments.");
        command.Subcommands.Add(SecretsEditCommand.Create());
        foreach (var sub in SecretsManageCommands.Create()) command.Subcommands.Add(sub);
        return command;
    }

    public static Option<string?> Directory() =>
        new("--directory", "-C") { Description = "The deployment repository (default: the current directory or the nearest parent with environments/)." };

    public static Option<string?> Environments() =>
        new("--environments") { Description = "Comma-separated environments (default: all)." };

    /// <summary>Runs <paramref name="action"/> in the repository, printing every user error like a deployment does.</summary>
    public static int Run(string? directory, Func<string, ConsoleWriter, int> action)
    {
        var console = new ConsoleWriter(Console.Out);
        var repo = RepositoryLocator.Find(directory);
        if (repo is null)
        {
            console.Error($"No such directory: {directory}");
            return 1;
        }
        try
        {
            return action(repo, console);
        }
        catch (BatouException e)
        {
            foreach (var error in e.Errors) Report(console, error);
            return 1;
        }
    }

    public static void Report(ConsoleWriter console, BatouError error)
    {
        console.Error(error.Message);
        foreach (var detail in error.Details) console.Tabular(detail.Label, detail.Value);
    }

    public static void Changed(ConsoleWriter console, IReadOnlyList<string> changed)
    {
        if (changed.Count == 0)
        {
            console.Line("Nothing changed.");
            return;
        }
        console.Line("Changed (commit them):");
        foreach (var file in changed.Distinct()) console.Line("    " + file);
    }
}
