using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// One running <c>batou engine</c>: sends its request, hands out its messages, tracks which
/// component it is running, and kills its whole process group when asked.
/// </summary>
internal sealed class EngineChild : IDisposable
{
    private const int StderrKept = 16 * 1024;
    private readonly Process _process;
    private readonly string? _user;
    private readonly Channel<EngineMessage> _messages = Channel.CreateUnbounded<EngineMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdout;
    private readonly Task _stderrTask;
    private readonly Lock _gate = new();
    private int _pgid;
    private volatile bool _killed;
    private volatile bool _disposed;

    private EngineChild(Process process, string? user)
    {
        _process = process;
        _user = user;
        // until the child says hello, its pid is the group to kill (it becomes session leader first thing)
        _pgid = process.Id;
        _stdout = Task.Run(ReadStdoutAsync);
        _stderrTask = Task.Run(ReadStderrAsync);
    }

    public ChildActivity Activity { get; } = new();

    public ChannelReader<EngineMessage> Messages => _messages.Reader;

    public bool Killed => _killed;

    /// <summary>The engine's process id (and group) once it said hello; before, the process started (a user switch's wrapper).</summary>
    public int Pid => Volatile.Read(ref _pgid);

    /// <summary>Starts the child and sends <paramref name="call"/>; a <see cref="BatouException"/> when it cannot start.</summary>
    public static EngineChild Start(EngineProcessOptions options, EngineCall call)
    {
        var child = Spawn(options, pooled: false);
        child.Send(call);
        return child;
    }

    /// <summary>
    /// Starts a child that waits for its one request (<see cref="Send"/>); <paramref name="pooled"/>:
    /// it warms up first (<see cref="Warmup"/>). A <see cref="BatouException"/> when it cannot start.
    /// </summary>
    public static EngineChild Spawn(EngineProcessOptions options, bool pooled)
    {
        var info = ChildCommand.Create(options, pooled);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            throw new BatouException(BatouError.Create("EngineProcessNotStarted", "Cannot start the engine process",
                ("Program", info.FileName), ("Problem", e.Message), ("Hint", "set the engine executable (EngineProcessOptions.Executable or BATOU_ENGINE)")));
        }
        return new EngineChild(process, options.User);
    }

    /// <summary>When the process was started (<see cref="System.Environment.TickCount64"/>): a pool replaces children idle too long.</summary>
    public long StartedAt { get; } = System.Environment.TickCount64;

    /// <summary>True once the process has ended (a pool does not hand out a child that died while it waited).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    public void Send(EngineMessage message)
    {
        try
        {
            _process.StandardInput.WriteLine(EngineJson.Write(message));
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // the child is gone; its stdout ends and the caller reports how it ended
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits for the process to end; its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public Task StderrDrainedAsync(TimeSpan atMost) => Task.WhenAny(_stderrTask, Task.Delay(atMost));

    public string StderrTail
    {
        get { lock (_gate) return _stderr.ToString(); }
    }

    /// <summary>SIGKILL to the child's process group: the engine and every process it started.</summary>
    public void Kill()
    {
        if (_disposed) return;
        _killed = true;
        var pgid = Volatile.Read(ref _pgid);
        if (!ProcessGroup.KillGroup(pgid) && _user is not null)
            SudoKill(_user, pgid);
        try
        {
            // the wrapper (runuser, sudo) when the engine runs as another user
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (Win32Exception) { }
    }

    /// <summary>As a non-root caller, another user's group can only be killed as that user.</summary>
    private static void SudoKill(string user, int pgid)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("sudo", ["-n", "-u", user, "kill", "-KILL", "--", "-" + pgid]) { UseShellExecute = false });
            kill?.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Win32Exception) { }
    }

    private async Task ReadStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0) continue;
                EngineMessage message;
                try
                {
                    message = EngineJson.Read(line);
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;   // not a protocol line
                }
                if (message is EngineHello hello) Volatile.Write(ref _pgid, hello.Pid);
                Activity.Apply(message);
                _messages.Writer.TryWrite(message);
            }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    private async Task ReadStderrAsync()
    {
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                lock (_gate)
                {
                    _stderr.Append(buffer, 0, n);
                    if (_stderr.Length > StderrKept) _stderr.Remove(0, _stderr.Length - StderrKept);
                }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Ends the child; <paramref name="killGroup"/> also kills what it left behind (always, unless a run ended cleanly).</summary>
    public void Dispose(bool killGroup)
    {
        // after its answer a clean child exits by itself; what it started on purpose stays
        if (killGroup || !WaitForExit(TimeSpan.FromSeconds(5))) Kill();
        Dispose();
    }

    private bool WaitForExit(TimeSpan atMost)
    {
        try
        {
            return _process.WaitForExit(atMost);
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        try { _process.StandardInput.Close(); } catch (IOException) { }
        _process.Dispose();
    }
}
