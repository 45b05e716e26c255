using System.Buffers;
using System.IO.Pipelines;
using Renci.SshNet.Common;

namespace Batou.Engine.Remote.Builtin;

/// <summary>
/// SSH.NET's channel output streams only read by blocking. Read through <see cref="Stream.ReadAsync(byte[], int, int, CancellationToken)"/>
/// each of them parks a thread-pool thread until data arrives; with several hosts (an agent's
/// stdout and stderr each, plus every command's) the pool starves on 2 cores and grows a thread
/// about every half second: a 3-host no-op took 6.5 s instead of 2 s. Each stream is read on a
/// thread of its own instead, into a pipe the callers can await without holding a thread.
/// </summary>
internal static class ChannelStreams
{
    /// <summary>The stream's bytes through a pipe; the end of the channel, or its failure, ends the returned stream.</summary>
    public static Stream Pump(Stream blocking, string name)
    {
        var pipe = new Pipe();
        var thread = new Thread(() => Copy(blocking, pipe.Writer)) { IsBackground = true, Name = name };
        thread.Start();
        return pipe.Reader.AsStream();
    }

    /// <summary>Reads the whole stream on a thread of its own (a failure of the channel surfaces when awaited, as before).</summary>
    public static Task<string> ReadToEndAsync(Stream blocking) =>
        Task.Factory.StartNew(() =>
        {
            using var reader = new StreamReader(blocking);
            return reader.ReadToEnd();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void Copy(Stream source, PipeWriter writer)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                writer.Write(buffer.AsSpan(0, read));
                if (writer.FlushAsync().AsTask().GetAwaiter().GetResult().IsCompleted) break;   // the reader is gone
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or SshException or InvalidOperationException)
        {
            // the connection ended: for the reader that is the end of the output
        }
        writer.Complete();
    }
}
