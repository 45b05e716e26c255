using Batou.Engine.Api;

namespace Batou.Engine.Execution;

/// <summary>What a component sees of the deployment it runs in: mode, event sink, cancellation.</summary>
internal sealed class DeploySession(bool predicting, Action<DeploymentEvent> emit, CancellationToken token)
{
    public bool Predicting { get; } = predicting;
    public CancellationToken Token { get; } = token;

    public void Emit(DeploymentEvent e) => emit(e);
}
