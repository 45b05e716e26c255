using System.Security.Cryptography;
using System.Text;

namespace Batou.Engine.Remote.Builtin;

/// <summary>One key line of a known_hosts file (or of keys pinned in memory).</summary>
internal sealed record KnownHostKey(string? Marker, IReadOnlyList<string> Patterns, string KeyType, byte[] Key, string Source)
{
    public string Fingerprint => KnownHosts.Fingerprint(Key);
}

/// <summary>What the known keys say about the key a host offered.</summary>
internal enum HostKeyVerdict { Trusted, Unknown, Changed, Revoked }

/// <summary>
/// OpenSSH's known_hosts files, read by the builtin client: plain and hashed (<c>|1|salt|hash</c>)
/// host patterns, <c>[host]:port</c>, wildcards and negation, <c>@revoked</c> keys and
/// <c>@cert-authority</c> lines for host certificates.
/// </summary>
internal sealed class KnownHosts
{
    private readonly List<KnownHostKey> _keys = [];

    public IReadOnlyList<KnownHostKey> Keys => _keys;

    /// <summary>Reads the files that exist, then the in-memory text (e.g. keys pinned by the dashboard).</summary>
    public static KnownHosts Load(IEnumerable<string> files, string? pinned)
    {
        var known = new KnownHosts();
        foreach (var file in files.Where(File.Exists))
            known.Add(File.ReadAllLines(file), file);
        if (!string.IsNullOrWhiteSpace(pinned))
            known.Add(pinned.Split('\n'), "pinned keys");
        return known;
    }

    private void Add(IReadOnlyList<string> lines, string source)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var words = lines[i].Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0].StartsWith('#')) continue;
            string? marker = null;
            if (words[0].StartsWith('@'))
            {
                marker = words[0];
                words = words[1..];
            }
            if (words.Length < 3) continue;
            byte[] key;
            try { key = Convert.FromBase64String(words[2]); }
            catch (FormatException) { continue; }
            _keys.Add(new KnownHostKey(marker, words[0].Split(','), words[1], key, $"{source}:{i + 1}"));
        }
    }

    /// <summary>The name ssh looks up: <c>host</c> on port 22, else <c>[host]:port</c>.</summary>
    public static string LookupName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>The keys recorded for this host (not revoked, not CA lines).</summary>
    public IEnumerable<KnownHostKey> For(string name) => _keys.Where(k => k.Marker is null && Matches(k.Patterns, name));

    public IEnumerable<KnownHostKey> AuthoritiesFor(string name) => _keys.Where(k => k.Marker == "@cert-authority" && Matches(k.Patterns, name));

    /// <summary>
    /// Checks an offered plain key: revoked anywhere → <see cref="HostKeyVerdict.Revoked"/>; the
    /// same key for this name → trusted; another key of the same type → changed; else unknown.
    /// </summary>
    public (HostKeyVerdict Verdict, KnownHostKey? Known) Check(string name, string keyType, byte[] key)
    {
        if (_keys.FirstOrDefault(k => k.Marker == "@revoked" && k.Key.AsSpan().SequenceEqual(key)) is { } revoked)
            return (HostKeyVerdict.Revoked, revoked);
        var known = For(name).ToList();
        if (known.Any(k => k.Key.AsSpan().SequenceEqual(key))) return (HostKeyVerdict.Trusted, null);
        var sameType = known.FirstOrDefault(k => k.KeyType == keyType) ?? known.FirstOrDefault();
        return sameType is null ? (HostKeyVerdict.Unknown, null) : (HostKeyVerdict.Changed, sameType);
    }

    /// <summary>Whether a revoked entry lists this key (e.g. a certificate's CA key).</summary>
    public KnownHostKey? Revoked(byte[] key) => _keys.FirstOrDefault(k => k.Marker == "@revoked" && k.Key.AsSpan().SequenceEqual(key));

    public static bool Matches(IReadOnlyList<string> patterns, string name)
    {
        var matched = false;
        foreach (var pattern in patterns)
        {
            var negated = pattern.StartsWith('!');
            var p = negated ? pattern[1..] : pattern;
            var hit = p.StartsWith("|1|", StringComparison.Ordinal) ? HashedMatch(p, name) : SshConfigFile.Glob(p, name);
            if (hit && negated) return false;
            matched |= hit;
        }
        return matched;
    }

    /// <summary><c>|1|base64(salt)|base64(HMAC-SHA1(salt, name))</c>.</summary>
    private static bool HashedMatch(string pattern, string name)
    {
        var parts = pattern.Split('|');
        if (parts.Length != 4) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(name)), hash);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary><c>ssh-keygen -l</c>'s form: <c>SHA256:</c> and unpadded base64.</summary>
    public static string Fingerprint(byte[] key) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(key)).TrimEnd('=');

    /// <summary>accept-new: records a first-seen key (plain host pattern) in <paramref name="file"/>.</summary>
    public static void Append(string file, string name, string keyType, byte[] key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.AppendAllText(file, $"{name} {keyType} {Convert.ToBase64String(key)}\n");
    }
}
