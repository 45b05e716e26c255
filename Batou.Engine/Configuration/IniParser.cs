using Batou.Engine.Api;

namespace Batou.Engine.Configuration;

/// <summary>
/// Parses batou's INI dialect: <c>[section]</c>, <c>key = value</c> or <c>key: value</c>,
/// continuation lines by indentation, full-line <c>#</c>/<c>;</c> comments, keys kept as written,
/// no interpolation. Every problem is collected with file and line.
/// </summary>
public static class IniParser
{
    public static IniDocument Parse(string text, string path, List<BatouError> errors)
    {
        // sections as objects, not value tuples: a framework list of value tuples (and LINQ over it) is code the
        // runtime JIT-compiles in every run
        var sections = new List<IniSection>();
        IniSection? current = null;
        var entries = new List<IniEntry>();
        string? key = null;
        int keyLine = 0;
        var value = new List<string>();

        void FlushEntry()
        {
            if (key is null || current is null) return;
            while (value.Count > 1 && value[^1].Length == 0) value.RemoveAt(value.Count - 1);
            var entry = new IniEntry(key, string.Join('\n', value).Trim(), keyLine);
            if (entries.Any(e => e.Key == key))
                errors.Add(Error(path, keyLine, $"Option `{key}` in section [{current.Name}] already exists"));
            else
                entries.Add(entry);
            key = null;
            value.Clear();
        }

        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i];
            var lineNo = i + 1;
            var trimmed = raw.Trim();
            var indented = raw.Length > 0 && char.IsWhiteSpace(raw[0]);

            if (trimmed.StartsWith('#') || trimmed.StartsWith(';'))
                continue;
            if (trimmed.Length == 0)
            {
                if (key is not null) value.Add("");
                continue;
            }
            if (indented && key is not null)
            {
                value.Add(trimmed);
                continue;
            }
            FlushEntry();
            if (trimmed.StartsWith('['))
            {
                if (!trimmed.EndsWith(']'))
                {
                    errors.Add(Error(path, lineNo, $"Malformed section header: {trimmed}"));
                    current = null;
                    continue;
                }
                var name = trimmed[1..^1].Trim();
                if (sections.Any(s => s.Name == name))
                {
                    errors.Add(Error(path, lineNo, $"Section [{name}] already exists"));
                    current = null;
                    continue;
                }
                entries = [];
                current = new IniSection(name, lineNo, entries);
                sections.Add(current);
                continue;
            }
            if (current is null)
            {
                if (sections.Count == 0)
                    errors.Add(Error(path, lineNo, "File contains no section headers"));
                continue;
            }
            var sep = IndexOfSeparator(trimmed);
            if (sep <= 0)
            {
                errors.Add(Error(path, lineNo, $"Expected `key = value`, found: {trimmed}"));
                continue;
            }
            key = trimmed[..sep].Trim();
            keyLine = lineNo;
            value.Add(trimmed[(sep + 1)..].Trim());
        }
        FlushEntry();
        return new IniDocument(path, sections.ToArray());
    }

    private static int IndexOfSeparator(string line)
    {
        var eq = line.IndexOf('=');
        var colon = line.IndexOf(':');
        if (eq < 0) return colon;
        if (colon < 0) return eq;
        return Math.Min(eq, colon);
    }

    private static BatouError Error(string path, int line, string message) =>
        BatouError.Create("ConfigSyntax", "Invalid configuration file", ("File", $"{path}:{line}"), ("Problem", message))
            with { File = path, Line = line, SortKey = 0 };
}
