using System.Runtime.InteropServices;

namespace Batou.Cli.Commands;

/// <summary>
/// Ctrl-C during a deployment: the first asks it to stop after the running component (its commands may run for the
/// environment's <c>cancel_grace</c>), the second stops now. SIGTERM stops now.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _stopNow = new();
    private readonly PosixSignalRegistration _term;
    private readonly CancellationTokenRegistration _outer;
    private int _presses;

    public Interrupts(CancellationToken outer)
    {
        Console.CancelKeyPress += OnCancelKey;
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            StopAll();
        });
        _outer = outer.Register(() => _cancel.Cancel());
    }

    public CancellationToken Cancel => _cancel.Token;
    public CancellationToken StopNow => _stopNow.Token;

    private void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        if (Interlocked.Increment(ref _presses) == 1) _cancel.Cancel();
        else StopAll();
    }

    private void StopAll()
    {
        _cancel.Cancel();
        _stopNow.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKey;
        _term.Dispose();
        _outer.Dispose();
        _cancel.Dispose();
        _stopNow.Dispose();
    }
}
