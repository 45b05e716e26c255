using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Batou.Engine.Api;

/// <summary>
/// Salted hashes of secret values and the fingerprint of a resolved configuration. The salt keeps
/// short secrets from being guessed from their hash; callers that compare fingerprints over time
/// (approvals bound to a snapshot) keep one salt of their own and pass it on every description.
/// </summary>
internal sealed class ConfigurationFingerprint
{
    private readonly byte[] _salt;

    public ConfigurationFingerprint(string? salt) =>
        _salt = salt is null ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(salt);

    /// <summary>A short salted hash of one secret value: enough to tell changed from unchanged, useless to guess it.</summary>
    public string Digest(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(value)))[..16];

    /// <summary>One hash over everything the overview shows, secret values (and every secret of the environment) by their digests.</summary>
    public string Of(EnvironmentOverview overview, IEnumerable<string> allSecrets)
    {
        var canonical = new
        {
            overview.Environment,
            Hosts = overview.Hosts.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h => new
            {
                h.Name, h.Fqdn, h.Platform, h.Ignored,
                Data = Sorted(h.Data, h.SecretDigests),
            }),
            // the order of roots is the deployment order: it is part of what will run
            Roots = overview.Roots.Select(r => new
            {
                r.Host, r.Component, r.Ignored, r.DependsOn,
                Settings = Sorted(r.Settings, r.SecretDigests),
                r.Provides, r.Requires, r.SubComponents,
            }),
            Secrets = Digest(string.Join("\n", allSecrets.Order(StringComparer.Ordinal))),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> digests)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values) sorted[key] = digests.TryGetValue(key, out var digest) ? "secret:" + digest : value;
        return sorted;
    }
}
