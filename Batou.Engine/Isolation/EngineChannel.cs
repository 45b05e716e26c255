namespace Batou.Engine.Isolation;

/// <summary>The child's protocol output: one JSON line per message, written whole and flushed, from any thread.</summary>
internal sealed class EngineChannel(TextWriter output)
{
    private readonly Lock _gate = new();

    public void Send(EngineMessage message)
    {
        var line = EngineJson.Write(message);
        lock (_gate)
        {
            try
            {
                output.Write(line);
                output.Write('\n');
                output.Flush();
            }
            catch (IOException)
            {
                // the caller is gone; the watchdog ends this process
            }
        }
    }
}
