using System.Globalization;
using Batou.Engine.Api;

namespace Batou.Cli.Commands;

/// <summary>
/// <c>batou compile-server --dir DIR --idle SECONDS</c> (started by a deployment, not by people),
/// <c>batou compile-server --status</c> and <c>batou compile-server --stop</c> (the server of this build, in the default directory).
/// </summary>
internal static class CompileServerCommand
{
    private const string Usage = "usage: batou compile-server --status | --stop";

    public static int Run(string[] args)
    {
        if (args is [_, "--dir", var dir, "--idle", var seconds]
            && int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var idle) && idle > 0)
            return CompileServerControl.Serve(dir, TimeSpan.FromSeconds(idle));
        if (args is not [_, "--status" or "--stop"])
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (CompileServerControl.Socket is not { } socket)
        {
            Console.Error.WriteLine("The compile server's directory cannot be made private: compilations stay in the deploying process.");
            return 1;
        }
        if (args[1] == "--stop")
        {
            Console.WriteLine(CompileServerControl.Stop() ? "The compile server stops." : $"No compile server of this batou build listens ({socket}).");
            return 0;
        }
        Console.WriteLine(CompileServerControl.Status() is { } status
            ? $"The compile server listens on {socket}: {status}."
            : $"No compile server of this batou build listens ({socket}).");
        return 0;
    }
}
