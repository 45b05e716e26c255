using System.Diagnostics;
using System.Globalization;
using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// The command line and environment of <c>batou engine</c>: found executable, optional
/// <c>prlimit</c> and user switch in front, and an environment that starts empty and gets only
/// what an engine needs (no secrets: those go on stdin).
/// </summary>
internal static class ChildCommand
{
    /// <summary>Passed on from the caller's environment; everything else is left out.</summary>
    private static readonly string[] s_passed =
    [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "NO_COLOR",
        "SSH_AUTH_SOCK", "GNUPGHOME", "NUGET_PACKAGES",
        "DOTNET_ROOT", "DOTNET_CLI_HOME", "DOTNET_NOLOGO", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE",
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
    ];

    /// <summary>Set by the user switch for the target user; never passed on from the caller.</summary>
    private static readonly string[] s_perUser = ["HOME", "USER", "LOGNAME", "SHELL"];

    public static ProcessStartInfo Create(EngineProcessOptions options, bool pooled = false)
    {
        var (program, prefix) = Resolve(options.Executable);
        var env = Environment(options);
        var args = new List<string>();
        if (options.AddressSpaceLimitBytes is { } space)
            args.AddRange(["prlimit", "--as=" + space.ToString(CultureInfo.InvariantCulture), "--"]);
        if (options.User is { } user)
        {
            foreach (var name in s_perUser) env.Remove(name);
            if (IsRoot)
                args.AddRange(["runuser", "-u", user, "--"]);
            else
            {
                // sudo resets the environment: hand the (non-secret) variables over through env(1)
                args.AddRange(["sudo", "-n", "-u", user, "--", "env"]);
                args.AddRange(env.Select(kv => $"{kv.Key}={kv.Value}"));
            }
        }
        args.Add(program);
        args.AddRange(prefix);
        args.Add("engine");
        if (pooled) args.Add("--pooled");

        var info = new ProcessStartInfo(args[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args.Skip(1)) info.ArgumentList.Add(a);
        info.Environment.Clear();
        foreach (var (k, v) in env) info.Environment[k] = v;
        return info;
    }

    private static bool IsRoot => System.Environment.UserName == "root";

    private static Dictionary<string, string> Environment(EngineProcessOptions options)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (s_passed.Contains(name) || name.StartsWith("LC_", StringComparison.Ordinal)
                || (name.StartsWith("BATOU_", StringComparison.Ordinal) && name != "BATOU_ENGINE"))
                env[name] = (string?)entry.Value ?? "";
        }
        // an apphost finds its runtime through DOTNET_ROOT when dotnet is not installed system-wide
        if (!env.ContainsKey("DOTNET_ROOT") && DotnetHost() is { } host && Path.IsPathRooted(host))
            env["DOTNET_ROOT"] = Path.GetDirectoryName(new FileInfo(host).ResolveLinkTarget(true)?.FullName ?? host)!;
        if (options.MemoryLimitBytes is { } heap)
            env["DOTNET_GCHeapHardLimit"] = "0x" + heap.ToString("x", CultureInfo.InvariantCulture);
        foreach (var (k, v) in options.Variables) env[k] = v;
        return env;
    }

    /// <summary>The program to start and the arguments before <c>engine</c>.</summary>
    internal static (string Program, IReadOnlyList<string> Prefix) Resolve(string? configured)
    {
        var path = configured is { Length: > 0 } ? configured
            : System.Environment.GetEnvironmentVariable("BATOU_ENGINE") is { Length: > 0 } fromEnv ? fromEnv
            : NextToApp() ?? "batou";
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? (DotnetHost(), [Path.GetFullPath(path)])
            : (path, []);
    }

    /// <summary>
    /// <c>engine/batou</c> beside the application (its own folder, so its dependency manifest stays
    /// whole: an application such as the dashboard ships other versions of shared libraries), then
    /// <c>batou</c> beside it (the CLI's own folder, the tests).
    /// </summary>
    private static string? NextToApp()
    {
        foreach (var dir in new[] { Path.Combine(AppContext.BaseDirectory, "engine"), AppContext.BaseDirectory })
        {
            var apphost = Path.Combine(dir, "batou");
            if (File.Exists(apphost)) return apphost;
            var dll = Path.Combine(dir, "batou.dll");
            if (File.Exists(dll)) return dll;
        }
        return null;
    }

    /// <summary>The dotnet host running this process if there is one, else <c>dotnet</c> from the PATH.</summary>
    private static string DotnetHost() =>
        System.Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
}
