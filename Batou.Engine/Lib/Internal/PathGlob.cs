using System.Text;
using System.Text.RegularExpressions;

namespace Batou.Lib.Internal;

/// <summary>
/// Shell-style globs: <c>*</c> and <c>?</c> stay within one path segment, <c>[abc]</c> / <c>[!abc]</c>
/// match one character, and (for relative matching) <c>**</c> crosses segments.
/// </summary>
internal static class PathGlob
{
    public static bool HasMagic(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>A regex matching a whole string against <paramref name="pattern"/>.</summary>
    public static Regex ToRegex(string pattern, bool doubleStar)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when doubleStar && i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                        sb.Append("(?:.*/)?");
                    }
                    else sb.Append(".*");
                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[' when i + 2 < pattern.Length && pattern.IndexOf(']', i + 2) is var end and > 0:
                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('!');
                    if (negate) body = body[1..];
                    sb.Append('[').Append(negate ? "^" : "").Append(body.Replace("\\", "\\\\").Replace("[", "\\[")).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// Existing paths matching an absolute pattern, sorted. Like a shell, names starting with a dot
    /// only match a segment that starts with a dot; symlinks are returned, not followed.
    /// </summary>
    public static IReadOnlyList<string> Expand(string absolutePattern)
    {
        var segments = absolutePattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = ["/"];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            current = HasMagic(segment)
                ? current.SelectMany(dir => Matches(dir, segment, last)).ToList()
                : current.Select(dir => System.IO.Path.Combine(dir, segment)).Where(p => last ? Lexists(p) : System.IO.Directory.Exists(p)).ToList();
        }
        return current.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether something (a file, directory, or a symlink, even a dangling one) is at the path.</summary>
    public static bool Lexists(string path) => System.IO.Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static IEnumerable<string> Matches(string dir, string segment, bool last)
    {
        if (!System.IO.Directory.Exists(dir)) yield break;
        var regex = ToRegex(segment, doubleStar: false);
        var hiddenAllowed = segment.StartsWith('.');
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.') && !hiddenAllowed) continue;
            if (!regex.IsMatch(entry.Name)) continue;
            if (!last && !System.IO.Directory.Exists(entry.FullName)) continue;
            yield return entry.FullName;
        }
    }
}
