using System.Security.Cryptography;

namespace Batou.Lib.Internal;

/// <summary>A parsed <c>"&lt;algorithm&gt;:&lt;hex digest&gt;"</c> checksum (sha256, sha512, sha1, md5).</summary>
internal sealed record ChecksumSpec(string Algorithm, HashAlgorithmName Name, string Digest)
{
    private static readonly Dictionary<string, (HashAlgorithmName Name, int HexLength)> s_algorithms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sha256"] = (HashAlgorithmName.SHA256, 64),
        ["sha512"] = (HashAlgorithmName.SHA512, 128),
        ["sha1"] = (HashAlgorithmName.SHA1, 40),
        ["md5"] = (HashAlgorithmName.MD5, 32),
    };

    /// <summary>Parses the checksum or returns a message saying what is wrong.</summary>
    public static ChecksumSpec Parse(string? text, string owner)
    {
        const string Expected = "expected \"<algorithm>:<hex digest>\" with algorithm sha256, sha512, sha1 or md5, e.g. \"sha256:9f86d0…\"";
        if (string.IsNullOrWhiteSpace(text))
            throw new ConfigurationError($"{owner}: Checksum is required ({Expected}).");
        var colon = text.IndexOf(':');
        if (colon <= 0)
            throw new ConfigurationError($"{owner}: malformed Checksum \"{text}\": {Expected}.");
        var algorithm = text[..colon].Trim().ToLowerInvariant();
        var digest = text[(colon + 1)..].Trim().ToLowerInvariant();
        if (!s_algorithms.TryGetValue(algorithm, out var known))
            throw new ConfigurationError($"{owner}: unsupported checksum algorithm \"{algorithm}\": {Expected}.");
        if (digest.Length != known.HexLength || !digest.All(char.IsAsciiHexDigit))
            throw new ConfigurationError($"{owner}: malformed Checksum \"{text}\": a {algorithm} digest is {known.HexLength} hex digits.");
        return new ChecksumSpec(algorithm, known.Name, digest);
    }

    /// <summary>The digest of a file in the same algorithm, as lower-case hex.</summary>
    public string Compute(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(CryptographicOperations.HashData(Name, stream));
    }

    public override string ToString() => $"{Algorithm}:{Digest}";
}
