using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Batou.Engine.Remote.Builtin;

/// <summary>A command on an SSH.NET channel with its stdio as text (the agent's session).</summary>
internal sealed class ChannelProcess : IRemoteProcess
{
    private readonly SshCommand _command;
    private readonly Task _execution;
    private readonly Stream _stdin;

    public ChannelProcess(SshCommand command)
    {
        _command = command;
        _execution = command.ExecuteAsync(CancellationToken.None);
        _stdin = new GuardedStream(command.CreateInputStream());
        Input = new StreamWriter(_stdin, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        Output = new StreamReader(ChannelStreams.Pump(command.OutputStream, "ssh agent stdout"), Encoding.UTF8);
        Error = new StreamReader(ChannelStreams.Pump(command.ExtendedOutputStream, "ssh agent stderr"), Encoding.UTF8);
        // a lost connection ends the command; its streams must end too, or the reader would wait forever
        _execution.ContinueWith(_ => { command.OutputStream.Dispose(); command.ExtendedOutputStream.Dispose(); },
            CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
    }

    public TextWriter Input { get; }
    public TextReader Output { get; }
    public TextReader Error { get; }

    public bool CloseAndWait(TimeSpan timeout)
    {
        try
        {
            Input.Dispose();
        }
        catch (IOException) { }
        try
        {
            return _execution.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true;   // ended, with the connection's error
        }
    }

    public void Kill()
    {
        try
        {
            _command.CancelAsync(forceKill: true, millisecondsTimeout: 1000);
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException) { }
    }

    public void Dispose() => _command.Dispose();

    /// <summary>The channel's stdin, failing only with <see cref="IOException"/> (what the agent client expects of a pipe).</summary>
    private sealed class GuardedStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => Guard(inner.Flush);
        public override Task FlushAsync(CancellationToken cancellationToken) => GuardAsync(() => inner.FlushAsync(cancellationToken));
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Guard(() => inner.Write(buffer, offset, count));
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            GuardAsync(() => inner.WriteAsync(buffer, offset, count, cancellationToken));
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(GuardAsync(() => inner.WriteAsync(buffer, cancellationToken).AsTask()));

        protected override void Dispose(bool disposing)
        {
            if (disposing) Guard(inner.Dispose);
            base.Dispose(disposing);
        }

        private static void Guard(Action action)
        {
            try { action(); }
            catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException) { throw new IOException(e.Message, e); }
        }

        private static async Task GuardAsync(Func<Task> action)
        {
            try { await action().ConfigureAwait(false); }
            catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException) { throw new IOException(e.Message, e); }
        }
    }
}
