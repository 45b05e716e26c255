namespace Batou.Engine.Planning;

/// <summary>A required resource is not there yet: the root is configured again later, silently.</summary>
internal sealed class SilentConfigurationError() : Exception("required resource not available yet");
