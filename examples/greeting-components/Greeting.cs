using Batou;
using Batou.Lib;

namespace Acme.Batou.Greetings;

/// <summary>A greeting file rendered from the package's own template (<c>templates/greeting.txt</c>).</summary>
public sealed class Greeting : Component
{
    /// <summary>Who is greeted.</summary>
    public string Name { get; set; } = "world";

    /// <summary>Where the greeting is written (relative: in the workdir of the root).</summary>
    public string Target { get; set; } = "greeting.txt";

    protected override void Configure() =>
        Add(new File(Target) { Source = "greeting.txt", TemplateContext = this });
}
