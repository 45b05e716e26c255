using System.Diagnostics;
using System.Globalization;

namespace Batou.Engine.Remote;

/// <summary>
/// Where a deployment's connect step spends its time, for benchmarks: with
/// <c>BATOU_CONNECT_PROFILE=&lt;file&gt;</c> every step (per host: probe, agent start and lock,
/// transfer, setup; for the controller: configure) appends one line
/// <c>host step start-ms end-ms</c> to that file, milliseconds since the process started. Off
/// (nothing measured, nothing written) without the variable. Names and times only: no values.
/// </summary>
internal static class ConnectProfile
{
    private static readonly string? s_file = System.Environment.GetEnvironmentVariable("BATOU_CONNECT_PROFILE") is { Length: > 0 } f ? f : null;
    private static readonly DateTime s_processStart = s_file is null ? default : Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private static readonly Lock s_gate = new();

    /// <summary>Runs <paramref name="work"/> and records how long it took.</summary>
    public static T Measure<T>(string host, string step, Func<T> work)
    {
        if (s_file is null) return work();
        var start = Now();
        try { return work(); }
        finally { Write(host, step, start); }
    }

    public static async Task<T> MeasureAsync<T>(string host, string step, Func<Task<T>> work)
    {
        if (s_file is null) return await work().ConfigureAwait(false);
        var start = Now();
        try { return await work().ConfigureAwait(false); }
        finally { Write(host, step, start); }
    }

    private static double Now() => (DateTime.UtcNow - s_processStart).TotalMilliseconds;

    private static void Write(string host, string step, double start)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{host} {step} {start:0} {Now():0}\n");
        lock (s_gate)
        {
            try { File.AppendAllText(s_file!, line); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
