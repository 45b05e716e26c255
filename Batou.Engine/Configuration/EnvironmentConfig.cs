using Batou.Engine.Planning;

namespace Batou.Engine.Configuration;

/// <summary>One component named for a host in <c>[hosts]</c> or <c>[host:x] components</c>.</summary>
internal sealed record ComponentAssignment(string Name, IReadOnlyList<string>? Features, bool Ignore, string File, int Line);

internal sealed record HostConfig(Host Host, IReadOnlyList<ComponentAssignment> Components, string File, int Line)
{
    /// <summary>Whether <c>[host:x]</c> sets <c>platform</c> itself (then <c>-p</c> does not replace it).</summary>
    public bool OwnPlatform { get; init; }
}

/// <summary>An environment.cfg read and checked on its own (before components are known).</summary>
internal sealed record EnvironmentConfig(
    string Name,
    string File,
    EnvironmentSettings Settings,
    IReadOnlyList<HostConfig> Hosts,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, OverrideValue>> Overrides,
    IReadOnlyDictionary<string, int> OverrideSectionLines,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Resolver)
{
    /// <summary>The <c>[vfs]</c> sandbox, if the environment has one.</summary>
    public PathSandbox? Vfs { get; init; }

    /// <summary>The parsed file, for the sections other steps read (<c>[vault]</c>): the file is parsed once per run.</summary>
    public IniDocument? Document { get; init; }
}
