using Batou.Engine.Util;

namespace Batou.Lib.Internal;

/// <summary>The git CLI for one working copy, with passwords of the remote URL scrubbed from every message.</summary>
internal sealed class GitRunner(Component component, string url, string directory)
{
    public ProcessResult Run(params string[] args) => Run(check: true, args);

    public ProcessResult Run(bool check, params string[] args) =>
        Programs.Run(component, "git", args, directory, check, s => UrlMask.Scrub(s, url));

    public string Output(params string[] args) => Run(args).Stdout.Trim();

    /// <summary>The output, or null when git exits non-zero.</summary>
    public string? TryOutput(params string[] args)
    {
        var result = Run(check: false, args);
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }
}
