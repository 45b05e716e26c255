namespace Batou.Lib;

/// <summary>Ensures the owning user (name or id). Placeholder until the helper implements it.</summary>
public class Owner(string path) : FileComponent(path)
{
    public string Name { get; set; } = "";
}
