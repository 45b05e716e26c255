namespace Batou.Lib.Internal;

/// <summary>Hides the password of a URL (<c>https://user:*****@host/…</c>) for breadcrumbs and messages.</summary>
internal static class UrlMask
{
    public const string Mask = "*****";

    public static string Apply(string url) =>
        FindPassword(url) is var (start, end) ? url[..start] + Mask + url[end..] : url;

    /// <summary>Replaces the URL and its password wherever they occur in <paramref name="text"/>.</summary>
    public static string Scrub(string text, string url)
    {
        if (FindPassword(url) is not var (start, end)) return text;
        var password = url[start..end];
        var scrubbed = text.Replace(url, Apply(url), StringComparison.Ordinal);
        if (password.Length > 0) scrubbed = scrubbed.Replace(password, Mask, StringComparison.Ordinal);
        var unescaped = System.Uri.UnescapeDataString(password);
        if (unescaped.Length > 0 && unescaped != password) scrubbed = scrubbed.Replace(unescaped, Mask, StringComparison.Ordinal);
        return scrubbed;
    }

    private static (int Start, int End)? FindPassword(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return null;
        var authorityStart = scheme + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at < 0) return null;
        var colon = url.IndexOf(':', authorityStart, at - authorityStart);
        return colon < 0 ? null : (colon + 1, at);
    }
}
