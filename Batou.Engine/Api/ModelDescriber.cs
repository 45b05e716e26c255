using Batou.Engine.Configuration;
using Batou.Engine.Loading;
using Batou.Engine.Planning;

namespace Batou.Engine.Api;

/// <summary>Loads and configures an environment for display, without touching any target.</summary>
internal static class ModelDescriber
{
    public static EnvironmentOverview Describe(string repositoryRoot, string environment, string? secretSalt = null)
    {
        var fingerprint = new ConfigurationFingerprint(secretSalt);
        var baseDir = Path.GetFullPath(repositoryRoot);
        var errors = new List<BatouError>();
        var warnings = new List<BatouError>();
        var config = EnvironmentLoader.Load(baseDir, environment, errors, warnings);
        if (config is null) return new EnvironmentOverview(environment, [], [], errors, warnings);
        var hosts = config.Hosts.Select(h => new HostOverview(h.Host.Name, h.Host.Fqdn, h.Host.Platform, h.Host.Ignore, h.Host.Data)).ToList();
        var library = ComponentLoader.Load(baseDir, errors);
        if (errors.Count > 0) return new EnvironmentOverview(config.Name, hosts, [], errors, warnings);
        // secrets are decrypted here too (masked below); managed secrets are never generated for a description
        var (withSecrets, secrets) = Secrets.SecretsStep.Run(baseDir, config, library, store: false, errors, warnings);
        if (errors.Count > 0) return new EnvironmentOverview(config.Name, hosts, [], errors, warnings);
        hosts = withSecrets.Hosts.Select(h => Host(h.Host, secrets, fingerprint)).ToList();
        var model = ModelBuilder.Build(baseDir, withSecrets, library, null, null, errors, secrets);
        if (model is null) return new EnvironmentOverview(config.Name, hosts, [], errors, warnings);
        ModelConfigurator.Result result;
        try
        {
            result = Execution.WallClock.Run(() => ModelConfigurator.Configure(model), model.Environment.Settings.Timeout, "configure");
        }
        catch (BatouException e)
        {
            errors.AddRange(e.Errors);
            return new EnvironmentOverview(config.Name, hosts, [], errors, warnings);
        }
        errors.AddRange(result.Errors);
        warnings.AddRange(result.Warnings);
        var roots = model.Order.Concat(model.Roots.Except(model.Order)).Select(r => Root(model, r, fingerprint)).ToList();
        var overview = new EnvironmentOverview(config.Name, hosts, roots, errors, warnings);
        return errors.Count > 0 ? overview : overview with { Fingerprint = fingerprint.Of(overview, secrets.Needles) };
    }

    private static RootOverview Root(ComponentModel model, RootComponent root, ConfigurationFingerprint fingerprint)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.Instance is { } instance)
            foreach (var property in SettingBinder.Settings(instance.GetType()).Values.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var secret = root.Overrides.Any(o => o.Value.Secret && SettingBinder.Normalize(o.Key) == SettingBinder.Normalize(property.Name));
                var text = Format(property.GetValue(instance));
                var name = SettingBinder.SnakeCase(property.Name);
                if (secret || model.Environment.ContainsSecret(text))
                {
                    settings[name] = "********";
                    digests[name] = fingerprint.Digest(text);
                }
                else settings[name] = text;
            }
        var dependencies = model.Graph?.DependenciesOf(root).Select(d => d.Id).ToList() ?? [];
        var subs = root.Instance?.PostOrder().Where(c => c != root.Instance).Select(c => c.Breadcrumbs).ToList() ?? [];
        return new RootOverview(root.Host.Name, root.Name, root.Ignore || root.Host.Ignore, dependencies, settings,
            model.Resources.ProvidedKeys(root).ToList(), model.Resources.RequiredKeys(root).ToList(), subs) { SecretDigests = digests };
    }

    private static HostOverview Host(Batou.Host host, Secrets.SecretSet secrets, ConfigurationFingerprint fingerprint)
    {
        var secret = host.Data.Where(d => secrets.Needles.Contains(d.Value.Trim())).ToList();
        var data = host.Data.ToDictionary(d => d.Key, d => secrets.Needles.Contains(d.Value.Trim()) ? "********" : d.Value, StringComparer.Ordinal);
        return new HostOverview(host.Name, host.Fqdn, host.Platform, host.Ignore, data)
        {
            SecretDigests = secret.ToDictionary(d => d.Key, d => fingerprint.Digest(d.Value), StringComparer.Ordinal),
        };
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        System.Collections.IEnumerable e => string.Join(", ", e.Cast<object?>().Select(Format)),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
