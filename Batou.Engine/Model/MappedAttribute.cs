namespace Batou;

/// <summary>
/// A string setting that holds a path: before the component configures, its value goes through
/// <see cref="Component.Map"/> — relative paths land in the workdir and absolute ones follow the
/// environment's <c>[vfs]</c> sandbox (batou's <c>Attribute(map=True)</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MappedAttribute : Attribute;
