using Acme.Batou.Greetings;

/// <summary>The repository's own root, using a package component as a sub-component.</summary>
public sealed class Site : Component
{
    public string Motto { get; set; } = "deployed by batou";

    protected override void Configure()
    {
        Add(new Banner { Text = Motto });
        Add(new File("index.txt") { Content = $"Welcome to {Host.Name}\n" });
    }
}
