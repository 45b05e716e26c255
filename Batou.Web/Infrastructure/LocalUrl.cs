namespace Batou.Web.Infrastructure;

/// <summary>Where a sign-in may send the browser back to: a path on this site and nothing a browser could read as another host.</summary>
internal static class LocalUrl
{
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";

    public static bool IsLocal(string? url) =>
        url is { Length: > 0 }
        && url[0] == '/'
        && (url.Length == 1 || url[1] is not ('/' or '\\'))
        // browsers drop tabs and newlines and read '\' as '/': "/\t/evil" and "/\evil" both lead off-site
        && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\');
}
