using System.CommandLine;
using Batou.Engine.Secrets;

namespace Batou.Cli.Commands;

/// <summary><c>summary</c>, <c>add</c>, <c>remove</c>, <c>reencrypt</c> and <c>decrypttostdout</c> of <c>batou secrets</c>.</summary>
internal static class SecretsManageCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Summary();
        yield return Member("add", "Add a member (age key, ssh public key, https://…keys URL or gpg key id) and re-encrypt.", SecretsApi.AddMember);
        yield return Member("remove", "Remove a member and re-encrypt.", SecretsApi.RemoveMember);
        yield return Reencrypt();
        yield return DecryptToStdout();
    }

    private static Command Summary()
    {
        var environments = SecretsCommand.Environments();
        var directory = SecretsCommand.Directory();
        var command = new Command("summary", "Show the members and secret files of every environment (never a value).") { environments, directory };
        command.SetAction(result => SecretsCommand.Run(result.GetValue(directory), (repo, _) =>
        {
            Console.Out.Write(SecretsApi.Summary(repo, result.GetValue(environments)));
            return 0;
        }));
        return command;
    }

    private static Command Member(string name, string description, Func<string, string, string?, IReadOnlyList<string>> change)
    {
        var key = new Argument<string>("member") { Description = "The member, e.g. \"ssh-ed25519 AAAA… you@laptop\" or age1…" };
        var environments = SecretsCommand.Environments();
        var directory = SecretsCommand.Directory();
        var command = new Command(name, description) { key, environments, directory };
        command.SetAction(result => SecretsCommand.Run(result.GetValue(directory), (repo, console) =>
        {
            SecretsCommand.Changed(console, change(repo, result.GetValue(key)!, result.GetValue(environments)));
            return 0;
        }));
        return command;
    }

    private static Command Reencrypt()
    {
        var force = new Option<bool>("--force", "-f") { Description = "Re-encrypt even when the recipients did not change." };
        var environments = SecretsCommand.Environments();
        var directory = SecretsCommand.Directory();
        var command = new Command("reencrypt", "Re-encrypt secrets whose recipients changed (all with --force).") { force, environments, directory };
        command.SetAction(result => SecretsCommand.Run(result.GetValue(directory), (repo, console) =>
        {
            SecretsCommand.Changed(console, SecretsApi.Reencrypt(repo, result.GetValue(environments), result.GetValue(force)));
            return 0;
        }));
        return command;
    }

    private static Command DecryptToStdout()
    {
        var file = new Argument<string>("file") { Description = "An encrypted file (.age, .age-diffable, .gpg)." };
        var command = new Command("decrypttostdout", "Decrypt a file to stdout (for git diff: textconv = batou secrets decrypttostdout).") { file };
        command.SetAction(result => SecretsCommand.Run(".", (_, _) =>
        {
            Console.Out.Write(SecretsApi.Decrypt(result.GetValue(file)!));
            return 0;
        }));
        return command;
    }
}
