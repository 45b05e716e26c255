namespace Batou;

/// <summary>
/// A failure a component reports in plain words while deploying (a checksum mismatch, a refused
/// clobber). Shown as its message with host, component and step; no exception type, no trace.
/// </summary>
public sealed class DeploymentError(string message, Exception? inner = null) : Exception(message, inner);
