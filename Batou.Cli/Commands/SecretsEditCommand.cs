using System.CommandLine;
using Batou.Engine.Secrets;

namespace Batou.Cli.Commands;

/// <summary><c>batou secrets edit ENVIRONMENT [FILE]</c>: edit the secrets file (or <c>secret-FILE</c>) with <c>$EDITOR</c>.</summary>
internal static class SecretsEditCommand
{
    public static Command Create()
    {
        var environment = new Argument<string>("environment") { Description = "The environment whose secrets to edit." };
        var file = new Argument<string?>("file") { Description = "Edit the secret file secret-FILE.<ext> instead of secrets.cfg.", Arity = ArgumentArity.ZeroOrOne };
        var directory = SecretsCommand.Directory();
        var command = new Command("edit", "Edit an environment's secrets with $EDITOR; re-encrypts only when something changed.") { environment, file, directory };
        command.SetAction(result => SecretsCommand.Run(result.GetValue(directory), (repo, console) =>
            SecretsApi.Edit(repo, result.GetValue(environment)!, result.GetValue(file), Console.In, Console.Out, e => SecretsCommand.Report(console, e))));
        return command;
    }
}
