using System.CommandLine;
using System.Text;
using Batou.Engine.Remote;
using Batou.Engine.Remote.Warm;

namespace Batou.Cli.Commands;

/// <summary>
/// <c>batou agent</c>: the remote end of a deployment, speaking JSON lines on stdin/stdout (started by the controller over ssh).
/// <c>--warm N</c>: relay to (or start) the warm agent of this binary, which stays N seconds after its last session;
/// <c>--no-warm</c>: ask warm agents to end, then run as usual. <c>--warm-serve N</c> is the warm agent itself.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var warm = new Option<int?>("--warm") { Description = "Hand the session to a warm agent (started if none listens) that stays this many seconds after it." };
        var serve = new Option<int?>("--warm-serve") { Description = "Be the warm agent (started by --warm).", Hidden = true };
        var noWarm = new Option<bool>("--no-warm") { Description = "Ask warm agents of this account to end, then run as usual." };
        var command = new Command("agent", "Run as the remote agent of a deployment (started by `batou deploy` over ssh).") { Hidden = true };
        command.Options.Add(warm);
        command.Options.Add(serve);
        command.Options.Add(noWarm);
        command.SetAction(async (result, token) =>
        {
            if (result.GetValue(serve) is { } serveSeconds)
                return await WarmServer.RunAsync(TimeSpan.FromSeconds(Math.Max(1, serveSeconds))).ConfigureAwait(false);
            if (result.GetValue(noWarm)) WarmRelay.StopAll();
            if (result.GetValue(warm) is { } warmSeconds and > 0)
                return await WarmRelay.RunAsync(TimeSpan.FromSeconds(warmSeconds), () => ColdAsync(token)).ConfigureAwait(false);
            return await ColdAsync(token).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Today's agent, in this process, on this process's stdio.</summary>
    internal static async Task<int> ColdAsync(CancellationToken token)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var input = new StreamReader(Console.OpenStandardInput(), utf8);
        await using var output = new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = false };
        return await AgentServer.RunAsync(input, output, token).ConfigureAwait(false);
    }
}
