using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// Remembers which component the child is running and, when an exception escapes on a thread
/// nobody waits for, tells the caller what it was and where, with secret values masked, before
/// the runtime ends the process.
/// </summary>
internal sealed class CrashReporter(EngineChannel channel)
{
    private readonly Lock _gate = new();
    private EngineProgress? _current;

    public string? Repository { get; set; }

    public void Progress(string step, string? host, string? component)
    {
        var progress = new EngineProgress(step, host, component);
        lock (_gate) _current = progress;
        channel.Send(progress);
    }

    public void Report(object exception)
    {
        EngineProgress? current;
        lock (_gate) current = _current;
        var details = new List<(string, string)>();
        Planning.SourceFrame? where = null;
        if (current?.Component is { } component) details.Add(("Component", component));
        if (current?.Host is { } host) details.Add(("Host", host));
        if (exception is Exception e)
        {
            details.Add(("Exception", Mask($"{e.GetType().Name}: {e.Message}")));
            where = Planning.SourceFrame.Of(e, Repository is null ? null : Path.GetFullPath(Repository));
            if (where is not null) details.Add(("Location", where.ToString()));
        }
        var error = BatouError.Create("ComponentCrashed", "An uncaught exception on another thread ended the engine process", details.ToArray())
            with { Host = current?.Host, Component = current?.Component, File = where?.File, Line = where?.Line };
        channel.Send(new EngineCrash(error));
    }

    public string Mask(string text)
    {
        foreach (var needle in EngineActivity.Needles().OrderByDescending(n => n.Length))
            if (needle.Length > 0) text = text.Replace(needle, Secrets.SecretRedactor.Mask, StringComparison.Ordinal);
        return text;
    }
}
