using Batou;
using Batou.Lib;

namespace Acme.Batou.Greetings;

/// <summary>A banner file from <c>templates/banner.txt</c>; meant as a sub-component of a repository's own components.</summary>
public sealed class Banner : Component
{
    public string Text { get; set; } = "";

    protected override void Configure() =>
        Add(new File("banner.txt") { Source = "banner.txt", TemplateContext = this });
}
