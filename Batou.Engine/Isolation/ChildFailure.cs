using System.Globalization;
using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>The error for an engine process that ended without its answer, or ran out of time.</summary>
internal static class ChildFailure
{
    public static BatouError Ended(int exitCode, ChildActivity activity, string stderr)
    {
        var crash = activity.Crash?.Error;
        var hint = crash is not null ? " (an uncaught exception on another thread)"
            : stderr.Contains("Stack overflow", StringComparison.Ordinal) ? " (stack overflow)"
            // the runtime's words for Environment.FailFast (its message stays unshown: stderr could hold a secret)
            : exitCode == 134 && stderr.Contains("Process terminated.", StringComparison.Ordinal) ? " (Environment.FailFast)"
            : exitCode == 134 ? " (aborted: stack overflow?)"
            : exitCode == 137 ? " (killed: out of memory?)"
            : "";
        var details = new List<ErrorDetail>();
        if (crash is not null) details.AddRange(crash.Details);
        else
        {
            var (host, component) = activity.Culprit();
            if (component is not null) details.Add(new("Component", component));
            if (host is not null) details.Add(new("Host", host));
        }
        details.Add(new("Exit code", exitCode.ToString(CultureInfo.InvariantCulture)));
        details.Add(new("Hint", "repository code ended the process (Environment.Exit, a crash or an uncaught exception); the caller kept running"));
        return Blamed(new BatouError("EngineProcessEnded", $"The component process ended with exit code {exitCode}{hint}{activity.Describe()}", details), activity, crash);
    }

    public static BatouError TimedOut(TimeSpan limit, string setting, ChildActivity activity)
    {
        var details = new List<ErrorDetail>();
        var (host, component) = activity.Culprit();
        if (component is not null) details.Add(new("Component", component));
        if (host is not null) details.Add(new("Host", host));
        details.Add(new("Limit", $"{limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s ({setting})"));
        details.Add(new("Hint", "an endless loop in Configure()? The process and everything it started were killed"));
        return Blamed(new BatouError("EngineProcessTimeout",
            $"The component process did not finish within {limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s{activity.Describe()} and was killed", details), activity, null);
    }

    public static BatouError Stopped(ChildActivity activity) =>
        Blamed(BatouError.Create("EngineProcessEnded", $"The component process was stopped{activity.Describe()} (the caller shut down)"), activity, null);

    public static BatouError Protocol(string problem) =>
        BatouError.Create("EngineProcessEnded", "The component process ended without an answer", ("Problem", problem));

    private static BatouError Blamed(BatouError error, ChildActivity activity, BatouError? crash)
    {
        var (host, component) = activity.Culprit();
        return error with
        {
            Host = crash?.Host ?? host,
            Component = crash?.Component ?? component,
            File = crash?.File,
            Line = crash?.Line,
            SortKey = 4,
        };
    }
}
