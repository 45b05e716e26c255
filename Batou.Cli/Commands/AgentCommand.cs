using System.CommandLine;
using System.Text;
using Batou.Engine.Remote;

namespace Batou.Cli.Commands;

/// <summary><c>batou agent</c>: the remote end of a deployment, speaking JSON lines on stdin/stdout (started by the controller over ssh).</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run as the remote agent of a deployment (started by `batou deploy` over ssh).") { Hidden = true };
        command.SetAction(async (_, token) =>
        {
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            using var input = new StreamReader(Console.OpenStandardInput(), utf8);
            await using var output = new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = false };
            return await AgentServer.RunAsync(input, output, token).ConfigureAwait(false);
        });
        return command;
    }
}
