namespace Batou;

/// <summary>A target host as the environment describes it.</summary>
public sealed class Host
{
    internal Host(string name, string fqdn, string? platform, IReadOnlyDictionary<string, string> data, bool ignore, string? serviceUser, bool? requireSudo)
    {
        Name = name;
        Fqdn = fqdn;
        Platform = platform;
        Data = data;
        Ignore = ignore;
        ServiceUser = serviceUser;
        RequireSudo = requireSudo;
    }

    public string Name { get; }
    public string Fqdn { get; }
    public string? Platform { get; }
    /// <summary><c>data-*</c> keys of <c>[host:NAME]</c>, without the prefix.</summary>
    public IReadOnlyDictionary<string, string> Data { get; }
    public bool Ignore { get; }
    public string? ServiceUser { get; }
    public bool? RequireSudo { get; }
    /// <summary>The environment's ssh settings with this host's overrides.</summary>
    internal SshSettings Ssh { get; init; } = new();

    public override string ToString() => Name;
}
