using System.CommandLine;
using Batou.Engine.Isolation;

namespace Batou.Cli.Commands;

/// <summary>
/// <c>batou engine</c>: runs one request of a caller that keeps repository code out of its own
/// process (the dashboard), speaking JSON lines on stdin/stdout. See docs/engine-process.md.
/// </summary>
internal static class EngineCommand
{
    public static Command Create()
    {
        var pooled = new Option<bool>("--pooled") { Description = "Started ahead of its request by a pool: warm up, then wait for the request." };
        var command = new Command("engine", "Run one describe or deployment for another process (JSON lines on stdin/stdout).") { pooled };
        command.Hidden = true;
        command.SetAction(async (result, token) =>
        {
            var code = await EngineServer.RunAsync(token, result.GetValue(pooled)).ConfigureAwait(false);
            // threads a component started must not keep the process alive after the answer
            Environment.Exit(code);
            return code;
        });
        return command;
    }
}
