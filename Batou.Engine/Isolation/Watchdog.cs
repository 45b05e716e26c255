namespace Batou.Engine.Isolation;

/// <summary>
/// Kills this process's group at a deadline, on a thread of its own: repository code that loops
/// forever or starves the thread pool cannot stop it. The earliest deadline asked for wins.
/// </summary>
internal static class Watchdog
{
    private static readonly Lock s_gate = new();
    private static long s_deadline = long.MaxValue;
    private static Thread? s_thread;

    public static void KillAfter(TimeSpan delay)
    {
        var deadline = Environment.TickCount64 + (long)Math.Min(delay.TotalMilliseconds, int.MaxValue);
        lock (s_gate)
        {
            if (deadline >= s_deadline) return;
            s_deadline = deadline;
            if (s_thread is null)
            {
                s_thread = new Thread(Watch) { IsBackground = true, Name = "batou engine watchdog" };
                s_thread.Start();
            }
        }
    }

    private static void Watch()
    {
        while (true)
        {
            long left;
            lock (s_gate) left = s_deadline - Environment.TickCount64;
            if (left <= 0) break;
            Thread.Sleep((int)Math.Min(left, 1000));
        }
        ProcessGroup.KillGroup(Environment.ProcessId);
    }
}
