namespace Batou;

/// <summary>Written by the component compiler: which component folder a class was declared in.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ComponentSourceAttribute(string typeName, string directory, string file) : Attribute
{
    public string TypeName { get; } = typeName;
    public string Directory { get; } = directory;
    public string File { get; } = file;
}
