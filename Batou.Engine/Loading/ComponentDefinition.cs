namespace Batou.Engine.Loading;

/// <summary>A root component class found in <c>components/&lt;dir&gt;/</c>: its name is the lower-case class name.</summary>
internal sealed record ComponentDefinition(string Name, Type Type, string Defdir, string SourceFile);
