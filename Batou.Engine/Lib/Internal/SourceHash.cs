using System.Security.Cryptography;
using System.Text;

namespace Batou.Lib.Internal;

/// <summary>A digest of a source tree (paths and contents), skipping build output and hidden folders.</summary>
internal static class SourceHash
{
    public static string Of(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Files(directory).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(System.IO.Path.GetRelativePath(directory, file) + "\0"));
            hash.AppendData(System.IO.File.ReadAllBytes(file));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static IEnumerable<string> Files(string directory)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(directory))
            yield return file;
        foreach (var sub in System.IO.Directory.EnumerateDirectories(directory))
        {
            var name = System.IO.Path.GetFileName(sub);
            if (name is "bin" or "obj" || name.StartsWith('.')) continue;
            foreach (var file in Files(sub)) yield return file;
        }
    }
}
