using System.ComponentModel;
using Batou.Engine.Util;

namespace Batou.Lib.Internal;

/// <summary>
/// Runs a program with an argument list (never a shell) for a component: the environment's
/// timeout and the deployment's cancellation apply; failures become <see cref="CmdExecutionError"/>.
/// </summary>
internal static class Programs
{
    public static ProcessResult Run(Component component, string program, IReadOnlyList<string> args,
        string? workingDirectory = null, bool check = true, Func<string, string>? scrub = null)
    {
        scrub ??= s => s;
        var root = component.RootState;
        var timeout = root?.Environment.Settings.Timeout ?? TimeSpan.FromMinutes(10);
        var display = scrub(Display(program, args));
        var env = new Dictionary<string, string> { ["LC_ALL"] = "C", ["GIT_TERMINAL_PROMPT"] = "0" };
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(program, args, workingDirectory ?? component.Workdir, env, timeout, root?.Session?.Kill ?? default);
        }
        catch (Win32Exception e)
        {
            throw new DeploymentError($"Cannot run `{display}`: {e.Message} (is {program} installed?)", e);
        }
        if (result.TimedOut)
            throw new CmdExecutionError(display, -1, scrub(result.Stdout),
                $"timed out after {timeout.TotalSeconds:0}s (environment setting `timeout`)\n" + scrub(result.Stderr));
        if (check && result.ExitCode != 0)
            throw new CmdExecutionError(display, result.ExitCode, scrub(result.Stdout), scrub(result.Stderr));
        return result with { Stdout = scrub(result.Stdout), Stderr = scrub(result.Stderr) };
    }

    private static string Display(string program, IReadOnlyList<string> args) =>
        string.Join(' ', args.Prepend(program).Select(a => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+%^{}".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'"));
}
