using Batou.Engine.Api;

namespace Batou.Engine.Remote.Builtin;

/// <summary>
/// A connection refused because of the host key: the error for the host, and the key as a typed
/// fact (<see cref="HostKeyUnknown"/> or <see cref="HostKeyChanged"/>) for the event stream.
/// </summary>
internal sealed class HostKeyRefused(BatouError error, DeploymentEvent? fact) : BatouException(error)
{
    public DeploymentEvent? Fact { get; } = fact;
}
