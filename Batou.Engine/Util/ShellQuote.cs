namespace Batou.Engine.Util;

/// <summary>Quotes a word for a POSIX shell (the remote side of ssh always parses its command line).</summary>
internal static class ShellQuote
{
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or ',' or '+' or '@')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A path that may start with <c>~/</c>: the tilde stays outside the quotes so the shell expands it.</summary>
    public static string QuotePath(string path) =>
        path == "~" ? "~" : path.StartsWith("~/", StringComparison.Ordinal) ? "~/" + Quote(path[2..]) : Quote(path);

    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
