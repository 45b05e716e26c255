using System.Diagnostics;

namespace Batou.Engine.Util;

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut);

/// <summary>Runs a program with an argument list (never through a shell unless asked), stdin closed.</summary>
internal static class ProcessRunner
{
    /// <param name="onLine">called with each line of output as it arrives (true for stderr), from a reader thread</param>
    public static ProcessResult Run(string program, IReadOnlyList<string> args, string? workingDirectory,
        IReadOnlyDictionary<string, string>? env, TimeSpan timeout, CancellationToken token, string? stdin = null, Stream? input = null,
        Action<bool, string>? onLine = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) info.Environment[k] = v;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = onLine is null ? process.StandardOutput.ReadToEndAsync(CancellationToken.None) : ReadLinesAsync(process.StandardOutput, false, onLine);
        var stderr = onLine is null ? process.StandardError.ReadToEndAsync(CancellationToken.None) : ReadLinesAsync(process.StandardError, true, onLine);
        try
        {
            if (stdin is not null) process.StandardInput.Write(stdin);
            if (input is not null)
            {
                process.StandardInput.Flush();
                input.CopyTo(process.StandardInput.BaseStream);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // the program exited without reading its input
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        cts.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            process.WaitForExitAsync(cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            timedOut = !token.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
            if (!timedOut) throw;
        }
        return new ProcessResult(timedOut ? -1 : process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), timedOut);
    }

    /// <summary>
    /// Collects a stream's text as <c>ReadToEnd</c> would, handing each line on as soon as it is complete. The
    /// reader is a thread of its own, not the thread pool: components block pool threads while their commands run,
    /// and a starved pool would hold every line back until the command ended.
    /// </summary>
    private static Task<string> ReadLinesAsync(StreamReader reader, bool error, Action<bool, string> onLine) =>
        Task.Factory.StartNew(() =>
        {
            var all = new System.Text.StringBuilder();
            while (reader.ReadLine() is { } line)
            {
                all.Append(line).Append('\n');
                onLine(error, line);
            }
            return all.ToString();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
