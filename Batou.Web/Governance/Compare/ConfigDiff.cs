using Batou.Engine.Api;

namespace Batou.Web.Governance.Compare;

/// <summary>How one setting (or host data item) differs; secrets carry no value, only whether it changed.</summary>
public sealed record SettingChange(string Name, string? Before, string? After, bool Secret)
{
    public string Kind => Before is null ? "added" : After is null ? "removed" : "changed";
}

/// <summary>The settings of one host's root component (or one host's data) that differ between two descriptions.</summary>
public sealed record ScopeDiff(string Host, string? Component, IReadOnlyList<SettingChange> Changes, int Unchanged, int SecretsUnchanged);

/// <summary>
/// The resolved configuration of one environment at two commits, compared: hosts and roots added or removed, and per
/// host and root component the settings after overrides that differ. Secret values never appear: a secret is
/// "changed" when its salted digests differ.
/// </summary>
public sealed record ConfigDiff(
    IReadOnlyList<string> HostsAdded,
    IReadOnlyList<string> HostsRemoved,
    IReadOnlyList<string> RootsAdded,
    IReadOnlyList<string> RootsRemoved,
    IReadOnlyList<ScopeDiff> Scopes,
    IReadOnlyList<string> ErrorsBefore,
    IReadOnlyList<string> ErrorsAfter,
    bool SameFingerprint)
{
    public const string Masked = "********";

    public bool Empty => HostsAdded.Count + HostsRemoved.Count + RootsAdded.Count + RootsRemoved.Count == 0 && Scopes.All(s => s.Changes.Count == 0);

    public static ConfigDiff Between(EnvironmentOverview before, EnvironmentOverview after)
    {
        var hostsBefore = before.Hosts.ToDictionary(h => h.Name);
        var hostsAfter = after.Hosts.ToDictionary(h => h.Name);
        var rootsBefore = before.Roots.ToDictionary(Key);
        var rootsAfter = after.Roots.ToDictionary(Key);
        var scopes = new List<ScopeDiff>();
        foreach (var (name, h) in hostsAfter.OrderBy(x => x.Key, StringComparer.Ordinal))
            if (hostsBefore.TryGetValue(name, out var old))
                scopes.Add(Compare(name, null, old.Data, old.SecretDigests, h.Data, h.SecretDigests));
        foreach (var (key, r) in rootsAfter.OrderBy(x => x.Key, StringComparer.Ordinal))
            if (rootsBefore.TryGetValue(key, out var old))
                scopes.Add(Compare(r.Host, r.Component, old.Settings, old.SecretDigests, r.Settings, r.SecretDigests));
        return new ConfigDiff(
            hostsAfter.Keys.Except(hostsBefore.Keys).Order(StringComparer.Ordinal).ToList(),
            hostsBefore.Keys.Except(hostsAfter.Keys).Order(StringComparer.Ordinal).ToList(),
            rootsAfter.Keys.Except(rootsBefore.Keys).Order(StringComparer.Ordinal).ToList(),
            rootsBefore.Keys.Except(rootsAfter.Keys).Order(StringComparer.Ordinal).ToList(),
            scopes.Where(s => s.Changes.Count > 0).ToList(),
            before.Errors.Select(e => $"{e.Kind}: {e.Message}").ToList(),
            after.Errors.Select(e => $"{e.Kind}: {e.Message}").ToList(),
            before.Fingerprint is not null && before.Fingerprint == after.Fingerprint);
    }

    private static string Key(RootOverview r) => r.Host + ":" + r.Component;

    private static ScopeDiff Compare(string host, string? component,
        IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> beforeDigests,
        IReadOnlyDictionary<string, string> after, IReadOnlyDictionary<string, string> afterDigests)
    {
        var changes = new List<SettingChange>();
        int unchanged = 0, secretsUnchanged = 0;
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var secret = beforeDigests.ContainsKey(name) || afterDigests.ContainsKey(name);
            var had = before.TryGetValue(name, out var b);
            var has = after.TryGetValue(name, out var a);
            if (secret)
            {
                // the digests say whether the value changed; the page shows only that
                var same = had && has && beforeDigests.TryGetValue(name, out var db) && afterDigests.TryGetValue(name, out var da) && db == da;
                if (same) secretsUnchanged++;
                else changes.Add(new SettingChange(name, had ? Masked : null, has ? Masked : null, true));
            }
            else if (had && has && b == a) unchanged++;
            else changes.Add(new SettingChange(name, had ? b : null, has ? a : null, false));
        }
        return new ScopeDiff(host, component, changes, unchanged, secretsUnchanged);
    }
}
