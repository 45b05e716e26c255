namespace Batou;

/// <summary>
/// Thrown from <see cref="Component.Verify"/> (directly or through the <c>Assert*</c> helpers)
/// to say the component is out of date. The message is the reason shown to users.
/// </summary>
public sealed class UpdateNeeded(string reason = "update needed") : Exception(reason);

/// <summary>A configuration problem found by a component, reported as <c>ERROR: root: message</c>.</summary>
public sealed class ConfigurationError(string message) : Exception(message);
