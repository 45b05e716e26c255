using Batou.Engine.Api;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Batou.Engine.Remote.Builtin;

/// <summary>
/// Decides during the handshake whether the offered host key is trusted. A refusal is kept as
/// <see cref="Failure"/> so the connection error can say why, with the fingerprints.
/// </summary>
internal sealed class HostKeyCheck(KnownHosts known, string name, BuiltinTarget target, bool acceptNew)
{
    private const string Hint = "compare the fingerprint with the host's (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and add the key to known_hosts, or set accept_new_host_keys = true";

    /// <summary>Why the host key was refused (an error for the host), or null.</summary>
    public Func<Host, BatouError>? Failure { get; private set; }

    /// <summary>The refused key as a typed fact (unknown or changed keys only), or null.</summary>
    public Func<Host, DeploymentEvent>? Fact { get; private set; }

    /// <summary>
    /// Puts the host key algorithms known_hosts vouches for first (as ssh does): certificates when a
    /// <c>@cert-authority</c> line matches, then the key types recorded for the host, then the rest.
    /// So a host with several host keys is not taken for one with an unknown key.
    /// </summary>
    public void PreferKnownAlgorithms(ConnectionInfo info)
    {
        var types = known.For(name).Select(k => k.KeyType).ToHashSet(StringComparer.Ordinal);
        var certificates = known.AuthoritiesFor(name).Any();
        if (types.Count == 0 && !certificates) return;
        int Rank(string algorithm) =>
            certificates && algorithm.Contains("-cert-v01@openssh.com", StringComparison.Ordinal) ? 0
            : types.Contains(algorithm) || (types.Contains("ssh-rsa") && algorithm is "rsa-sha2-512" or "rsa-sha2-256") ? 1
            : 2;
        var ordered = info.HostKeyAlgorithms.OrderBy(a => Rank(a.Key)).ToList();   // stable: keeps SSH.NET's order within a rank
        info.HostKeyAlgorithms.Clear();
        foreach (var (algorithm, factory) in ordered) info.HostKeyAlgorithms.Add(algorithm, factory);
    }

    public void OnHostKey(object? sender, HostKeyEventArgs e)
    {
        var offered = "SHA256:" + e.FingerPrintSHA256;
        if (e.Certificate is { } certificate && TrustedCertificate(certificate))
        {
            e.CanTrust = true;
            return;
        }
        var (verdict, entry) = known.Check(name, e.HostKeyName, e.HostKey);
        switch (verdict)
        {
            case HostKeyVerdict.Trusted:
                e.CanTrust = true;
                return;
            case HostKeyVerdict.Unknown when acceptNew && target.KnownHostsFiles.Count > 0:
                KnownHosts.Append(target.KnownHostsFiles[0], name, e.HostKeyName, e.HostKey);
                e.CanTrust = true;
                return;
            case HostKeyVerdict.Unknown:
                Fact = host => new HostKeyUnknown(host.Name, target.Address, target.Port, e.HostKeyName, offered, PublicKey(e));
                Failure = host => BatouError.Create("HostKeyUnknown", "Could not connect to host",
                    ("Host", host.Name), ("Address", $"{target.User}@{target.Endpoint}"), ("Fingerprint", offered), ("Key type", e.HostKeyName),
                    ("ssh said", $"Host key verification failed: no known key for {name} ({e.HostKeyName} {offered})"),
                    ("Known hosts", string.Join(", ", target.KnownHostsFiles)), ("Hint", Hint));
                break;
            case HostKeyVerdict.Changed:
                Fact = host => new HostKeyChanged(host.Name, target.Address, target.Port, e.HostKeyName, offered, PublicKey(e), entry!.KeyType, entry.Fingerprint, entry.Source);
                Failure = host => BatouError.Create("HostKeyChanged", "Could not connect to host",
                    ("Host", host.Name), ("Address", $"{target.User}@{target.Endpoint}"), ("Fingerprint", offered), ("Known fingerprint", $"{entry!.Fingerprint} ({entry.Source})"),
                    ("ssh said", $"REMOTE HOST IDENTIFICATION HAS CHANGED for {name}: offered {e.HostKeyName} {offered}, known {entry.KeyType} {entry.Fingerprint} ({entry.Source}). Host key verification failed."),
                    ("Hint", "if the host was really re-installed, remove the old key from known_hosts (ssh-keygen -R); a changed key is never accepted automatically"));
                break;
            default:
                Failure = host => BatouError.Create("HostKeyRevoked", "Could not connect to host",
                    ("Host", host.Name), ("Address", $"{target.User}@{target.Endpoint}"), ("Fingerprint", offered),
                    ("ssh said", $"Host key verification failed: the key {offered} is marked @revoked ({entry!.Source})"));
                break;
        }
        e.CanTrust = false;
    }

    private static string PublicKey(HostKeyEventArgs e) => $"{e.HostKeyName} {Convert.ToBase64String(e.HostKey)}";

    /// <summary>A host certificate signed by a <c>@cert-authority</c> key for this name, valid now, naming the host (or no principal at all).</summary>
    private bool TrustedCertificate(Renci.SshNet.Security.Certificate certificate)
    {
        var ca = certificate.CertificateAuthorityKey;
        if (known.Revoked(ca) is not null) return false;
        if (!known.AuthoritiesFor(name).Any(k => k.Key.AsSpan().SequenceEqual(ca))) return false;
        var now = DateTimeOffset.UtcNow;
        if (certificate.Type != Renci.SshNet.Security.Certificate.CertificateType.Host || now < certificate.ValidAfter || now > certificate.ValidBefore) return false;
        return certificate.ValidPrincipals.Count == 0 || certificate.ValidPrincipals.Contains(target.Address) || certificate.ValidPrincipals.Contains(target.Alias);
    }
}
