using Batou.Cli.Rendering;
using Batou.Engine.Api;

namespace Batou.Cli;

/// <summary>
/// The last line of defence against repository code: an exception on a thread a component
/// started, or a component calling <c>Environment.Exit</c>, ends batou with a clean error naming
/// the component (and exit code 1) instead of a runtime dump or a silent exit. A stack overflow
/// cannot be caught in a .NET process; only a separate engine process can report it.
/// </summary>
internal static class CrashGuard
{
    private static int s_ended;
    private static TextWriter s_output = Console.Out;
    private static volatile bool s_signalled;
    private static readonly List<System.Runtime.InteropServices.PosixSignalRegistration> s_signals = [];

    /// <param name="agent">The agent's (and engine mode's) stdout carries the protocol: it reports on stderr.</param>
    public static void Install(bool agent)
    {
        s_output = agent ? Console.Error : Console.Out;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        TaskScheduler.UnobservedTaskException += (_, e) => e.SetObserved();
        foreach (var signal in new[] { System.Runtime.InteropServices.PosixSignal.SIGTERM, System.Runtime.InteropServices.PosixSignal.SIGINT, System.Runtime.InteropServices.PosixSignal.SIGQUIT })
            s_signals.Add(System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, _ => s_signalled = true));
    }

    /// <summary>batou itself is ending the process: nothing to report.</summary>
    public static void Done() => Interlocked.Exchange(ref s_ended, 1);

    private static void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        if (Interlocked.Exchange(ref s_ended, 1) != 0) return;
        var exception = e.ExceptionObject as Exception;
        var component = ComponentActivity.Current ?? (exception is null ? null : ComponentActivity.Of(exception));
        var problem = exception is null ? $"{e.ExceptionObject}" : $"{exception.GetType().Name}: {MessageOf(exception)}";
        Report(component is null
                ? "An exception escaped on a thread outside any component"
                : $"Component {component} let an exception escape on a thread of its own",
            component, ("Exception", problem));
        Environment.Exit(1);
    }

    private static void OnProcessExit(object? sender, EventArgs e)
    {
        // raised on the finalizer thread: a component step still running while neither batou
        // (Done) nor a signal ends the process means its code called Environment.Exit
        var component = ComponentActivity.Running.LastOrDefault();
        if (component is null || s_signalled || Interlocked.Exchange(ref s_ended, 1) != 0) return;
        Report($"Component {component} ended the process with Environment.Exit({Environment.ExitCode})",
            component, ("Hint", "Components report failure by throwing an exception, never by exiting."));
        ExitNow(1);   // Environment.Exit has fixed its exit code (often 0) already: end here with 1
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    private static string MessageOf(Exception e)
    {
        try { return e.Message; }
        catch (Exception inner) { return $"(its Message threw {inner.GetType().Name})"; }
    }

    private static void Report(string message, string? component, params (string Label, string Value)[] details)
    {
        try
        {
            var console = new ConsoleWriter(s_output);
            console.Line();
            console.Error(message);
            if (component is not null) console.Tabular("Component", component);
            foreach (var (label, value) in details) console.Tabular(label, value);
            console.Section("DEPLOYMENT FAILED (a component ended batou)", "red");
            s_output.Flush();
        }
        catch (IOException)
        {
            // nobody is listening any more
        }
    }
}
