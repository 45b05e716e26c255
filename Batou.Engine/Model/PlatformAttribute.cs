namespace Batou;

/// <summary>
/// Marks a component as the platform-specific part of <see cref="For"/>: when a host's platform
/// equals <see cref="Name"/>, an instance is added as the last sub-component of every <see cref="For"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PlatformAttribute(string name, Type @for) : Attribute
{
    public string Name { get; } = name;
    public Type For { get; } = @for;
}

/// <summary>
/// Marks a method <c>void M(Component updating)</c> as a handler of an event (<c>before-update</c>)
/// raised by components of the same root. Scope <c>*</c> sees every component, <c>precursor</c>
/// only components deployed before this one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HandleEventAttribute(string eventName, string scope) : Attribute
{
    public string EventName { get; } = eventName;
    public string Scope { get; } = scope;
}

/// <summary>A public property that is not a setting (not overridable from the environment).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotASettingAttribute : Attribute;
