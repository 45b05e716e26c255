namespace Batou.Lib;

/// <summary>Ensures the owning group (name or id). Placeholder until the helper implements it.</summary>
public class Group(string path) : FileComponent(path)
{
    public string Name { get; set; } = "";
}
