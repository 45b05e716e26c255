using System.ComponentModel;
using Batou.Engine.Util;

namespace Batou.Engine.Secrets;

/// <summary>
/// Runs <c>age</c> or <c>gpg</c> with an argument list. Cleartext only ever travels through stdin
/// and stdout, never on the command line (so it never shows in a process list).
/// </summary>
internal static class ToolRunner
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    public static ProcessResult Run(string tool, IReadOnlyList<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? env = null)
    {
        try
        {
            var result = ProcessRunner.Run(tool, args, null, env, s_timeout, CancellationToken.None, stdin);
            if (result.TimedOut)
                throw SecretsErrors.Fail("SecretsToolTimeout", $"`{tool}` did not finish within {s_timeout.TotalSeconds:0} seconds",
                    ("Command", Describe(tool, args)),
                    ("Hint", tool == "age" ? "a passphrase-protected identity cannot be used non-interactively" : "is gpg-agent waiting for a passphrase?"));
            return result;
        }
        catch (Win32Exception)
        {
            throw SecretsErrors.Fail("SecretsToolMissing", $"Could not find the `{tool}` binary. Is {tool} installed?",
                ("Looked for", tool), ("Hint", tool == "age" ? "apt-get install age" : "apt-get install gnupg"));
        }
    }

    /// <summary>The command for error messages (arguments never contain secrets).</summary>
    public static string Describe(string tool, IReadOnlyList<string> args) =>
        string.Join(' ', new[] { tool }.Concat(args.Select(a => a.Contains(' ') ? $"'{a}'" : a)));
}
