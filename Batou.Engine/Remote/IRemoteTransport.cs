using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// How the engine reaches a host: one session per host for the whole deployment, commands with
/// their exit code and output, input streamed to a command (uploads), and a long-running command
/// with its stdio forwarded (the agent). Two implementations: the OpenSSH client
/// (<see cref="SshTransport"/>, <c>ssh_client = openssh</c>) and SSH.NET in process
/// (<see cref="Builtin.BuiltinTransport"/>, <c>ssh_client = builtin</c>).
/// </summary>
internal interface IRemoteTransport : IDisposable
{
    /// <summary><c>openssh</c> or <c>builtin</c>.</summary>
    string Name { get; }

    /// <summary>The environment's <c>timeout</c>: bounds commands that do not pass their own.</summary>
    TimeSpan Timeout { get; }

    /// <summary>
    /// The <c>-e</c> argument for rsync over this transport, or null when rsync cannot ride on it
    /// (then directories travel with <see cref="TreeSync"/>, a tar stream of the changed files).
    /// </summary>
    string? RsyncShell(Host host);

    /// <summary>
    /// Runs a command (parsed by the remote login shell) and waits for it, bounded by the timeout;
    /// <paramref name="input"/> is streamed to its stdin. A connection failure is exit code 255
    /// with the reason in stderr (OpenSSH) or a <see cref="Api.BatouException"/> naming the host.
    /// </summary>
    ProcessResult Run(Host host, string remoteCommand, CancellationToken token, Stream? input = null, TimeSpan? timeout = null);

    /// <summary>Starts a long-running remote command with its stdio forwarded (the agent).</summary>
    IRemoteProcess Start(Host host, string remoteCommand);
}

/// <summary>A running remote command's stdio, as the agent client uses it.</summary>
internal interface IRemoteProcess : IDisposable
{
    /// <summary>Line-oriented stdin ("\n", flushed after every write).</summary>
    TextWriter Input { get; }
    TextReader Output { get; }
    TextReader Error { get; }

    /// <summary>Closes stdin and waits for the command to end; false when it did not end in time.</summary>
    bool CloseAndWait(TimeSpan timeout);

    /// <summary>Ends the command (and the local side of it) at once.</summary>
    void Kill();
}
