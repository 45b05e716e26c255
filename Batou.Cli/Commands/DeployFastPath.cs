namespace Batou.Cli.Commands;

/// <summary>
/// Reads the everyday forms of <c>batou deploy [flags] ENVIRONMENT</c> without System.CommandLine: building and running
/// its parser (five commands, generic option types JIT-compiled in every process) was a measurable part of a no-op
/// deployment (bench/results/2026-12-01-perf-3.md). Anything it is not sure about — help, unknown or bundled options
/// (<c>-Pc</c>, <c>--jobs=4</c>), a repeated option, a missing or second environment, response files (<c>@file</c>),
/// a value that looks like an option or a boolean — returns <c>null</c>, and the full parser handles it with its own
/// messages. So every form either means exactly what it means to <see cref="DeployCommand.Create"/>'s parser or goes there.
/// </summary>
internal static class DeployFastPath
{
    public static DeployArguments? TryParse(string[] args)
    {
        if (args.Length < 2 || args[0] != "deploy") return null;
        string? environment = null;
        bool predict = false, consistency = false, local = false, dirty = false, noWarm = false, verbose = false;
        string? jobs = null, platform = null, timeout = null, directory = null, warm = null;
        var only = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var token = args[i];
            if (token.Length == 0 || !Plain(token)) return null;
            if (token[0] != '-')
            {
                if (environment is not null) return null;
                environment = token;
                continue;
            }
            var ok = token switch
            {
                "-P" or "--predict-only" => Flag(ref predict),
                "-c" or "--consistency-only" => Flag(ref consistency),
                "-L" or "--local" => Flag(ref local),
                "-D" or "--dirty" => Flag(ref dirty),
                "-v" or "--verbose" => Flag(ref verbose),
                "--no-warm" => Flag(ref noWarm),
                "-j" or "--jobs" => Value(args, ref i, ref jobs),
                "-p" or "--platform" => Value(args, ref i, ref platform),
                "-t" or "--timeout" => Value(args, ref i, ref timeout),
                "-C" or "--directory" => Value(args, ref i, ref directory),
                "--warm" => Value(args, ref i, ref warm),
                "--only" => Repeated(args, ref i, only),
                _ => false,
            };
            if (!ok) return null;
        }
        if (environment is null) return null;
        int? jobCount = null;
        if (jobs is not null)
        {
            // digits only (a sign, spaces or an overflow: the full parser words the error)
            if (jobs.Length is 0 or > 9) return null;
            var n = 0;
            foreach (var c in jobs)
            {
                if (!char.IsAsciiDigit(c)) return null;
                n = n * 10 + (c - '0');
            }
            jobCount = n;
        }
        return new DeployArguments(environment)
        {
            Predict = predict, Consistency = consistency, Local = local, Dirty = dirty, NoWarm = noWarm, Verbose = verbose,
            Jobs = jobCount, Platform = platform, Timeout = timeout, Directory = directory, Warm = warm, Only = only,
        };
    }

    /// <summary>Not a response file, a directive, a lone dash or a word a boolean option would take as its value.</summary>
    private static bool Plain(string token) =>
        !(token.StartsWith('@') || token.StartsWith('[') || token is "-" or "--"
          || token.Equals("true", StringComparison.OrdinalIgnoreCase) || token.Equals("false", StringComparison.OrdinalIgnoreCase));

    private static bool Flag(ref bool flag)
    {
        if (flag) return false;
        flag = true;
        return true;
    }

    private static bool Value(string[] args, ref int i, ref string? value)
    {
        if (value is not null || i + 1 >= args.Length || args[i + 1].StartsWith('-') || !Plain(args[i + 1])) return false;
        value = args[++i];
        return true;
    }

    private static bool Repeated(string[] args, ref int i, List<string> values)
    {
        string? value = null;
        if (!Value(args, ref i, ref value)) return false;
        values.Add(value!);
        return true;
    }
}
