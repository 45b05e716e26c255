using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Loading;

namespace Batou.Engine.Planning;

/// <summary>Turns an environment.cfg and the compiled components into an unconfigured model.</summary>
internal static class ModelBuilder
{
    public static ComponentModel? Build(string baseDir, EnvironmentConfig config, ComponentLibrary library, string? platformOverride,
        TimeSpan? timeout, List<BatouError> errors, Secrets.SecretSet? secrets = null)
    {
        var settings = config.Settings;
        if (timeout is { } t) settings = settings with { Timeout = t };
        // -p replaces the environment's platform, which hosts inherit; a host's own `platform =` wins (as in batou)
        if (platformOverride is not null) settings = settings with { Platform = platformOverride.Length == 0 ? null : platformOverride };
        var hosts = config.Hosts.Select(h => platformOverride is null || h.OwnPlatform ? h.Host : WithPlatform(h.Host, settings.Platform)).ToList();
        var environment = new DeploymentEnvironment(config.Name, baseDir, settings, hosts, config.Resolver) { Vfs = config.Vfs };
        if (secrets is not null)
        {
            environment.SecretFiles = new Dictionary<string, string>(secrets.Files, StringComparer.Ordinal);
            environment.SecretData.UnionWith(secrets.Needles);
        }
        var platforms = new PlatformRegistry(library.AllTypes.Concat(PlatformRegistry.EngineTypes));
        var model = new ComponentModel(environment, platforms);

        foreach (var (component, line) in config.OverrideSectionLines)
            if (!library.Definitions.ContainsKey(component))
                errors.Add(BatouError.Create("SuperfluousComponentSection", "Override section for unknown component found",
                        ("Component", component), ("File", $"{config.File}:{line}"), ("Known", Known(library)))
                    with { File = config.File, Line = line });

        if (config.Hosts.Count == 0)
            errors.Add(BatouError.Create("NoHosts", "No host found in environment.", ("File", config.File)) with { File = config.File });

        var index = 0;
        for (var i = 0; i < config.Hosts.Count; i++)
        {
            var host = hosts[i];
            foreach (var assignment in config.Hosts[i].Components)
            {
                if (!library.Definitions.TryGetValue(assignment.Name, out var definition))
                {
                    errors.Add(BatouError.Create("MissingComponent", "Missing component",
                            ("Component", assignment.Name), ("Host", host.Name), ("File", $"{assignment.File}:{assignment.Line}"), ("Known", Known(library)))
                        with { File = assignment.File, Line = assignment.Line, Host = host.Name });
                    continue;
                }
                var overrides = config.Overrides.TryGetValue(assignment.Name, out var o) ? o : new Dictionary<string, OverrideValue>();
                model.Roots.Add(new RootComponent(model, definition, host, index++, assignment.Features, assignment.Ignore || host.Ignore, overrides));
            }
        }
        return errors.Count == 0 ? model : null;
    }

    private static string Known(ComponentLibrary library) =>
        library.Definitions.Count == 0 ? "(no components found in components/*/)" : string.Join(", ", library.Definitions.Keys.Order(StringComparer.Ordinal));

    private static Host WithPlatform(Host host, string? platform) =>
        new(host.Name, host.Fqdn, platform, host.Data, host.Ignore, host.ServiceUser, host.RequireSudo) { Ssh = host.Ssh };
}
