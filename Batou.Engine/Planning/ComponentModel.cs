namespace Batou.Engine.Planning;

/// <summary>The configured model of one environment: roots, resources, platforms and order.</summary>
internal sealed class ComponentModel
{
    public ComponentModel(DeploymentEnvironment environment, PlatformRegistry platforms)
    {
        Environment = environment;
        Platforms = platforms;
    }

    public DeploymentEnvironment Environment { get; }
    public PlatformRegistry Platforms { get; }
    public ResourceRegistry Resources { get; } = new();
    public List<RootComponent> Roots { get; } = [];
    public DependencyGraph? Graph { get; set; }
    public IReadOnlyList<RootComponent> Order { get; set; } = [];
    /// <summary>The compiled component assembly (shipped to remote hosts).</summary>
    public string? ComponentAssembly { get; set; }
    /// <summary>The components' restored NuGet packages (shipped with them), if any.</summary>
    public string? PackagesDirectory { get; set; }
    /// <summary>The decrypted secrets (controller only; sent to agents inside their ssh sessions).</summary>
    public Secrets.SecretSet? Secrets { get; set; }
    /// <summary>What components asked the controller to build (run by the controller only, before connecting).</summary>
    public ControllerBuilds Builds { get; } = new();
}
