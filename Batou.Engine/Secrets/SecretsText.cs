using Batou.Engine.Api;
using Batou.Engine.Configuration;

namespace Batou.Engine.Secrets;

/// <summary>
/// Reads and edits the cleartext of a secrets file (batou's INI) at the text level, so comments
/// and layout the user wrote survive adding a member or a generated secret.
/// </summary>
internal static class SecretsText
{
    public const string NewFileTemplate = "[batou]\nmembers =\n\n";

    /// <summary>Parses a cleartext; syntax errors name the line but never show its content.</summary>
    public static IniDocument Parse(string cleartext, string display)
    {
        var errors = new List<BatouError>();
        var doc = IniParser.Parse(cleartext, display, errors);
        if (errors.Count > 0)
            throw new BatouException(errors.Select(e => e with
            {
                Details = e.Details.Select(d => d.Label == "Problem" ? d with { Value = Masked(d.Value) } : d).ToList(),
            }).ToList());
        return doc;
    }

    public static IReadOnlyList<string> Members(IniDocument doc) =>
        doc.Section("batou")?.Get("members") is { } value ? IniDocument.AsList(value) : [];

    public static string? Provider(IniDocument doc) => doc.Section("batou")?.Get("secret_provider");

    /// <summary>Replaces (or adds) <c>[batou] members</c>.</summary>
    public static string SetMembers(string text, IReadOnlyList<string> members)
    {
        var entry = members.Count == 0 ? "members =" : "members = " + string.Join(",\n    ", members);
        return SetEntry(text, ["batou"], "members", entry, prepend: true);
    }

    /// <summary>Sets <c>key = value</c> (a single-line value) in <c>[component:name]</c> or <c>[name]</c>, adding the section if needed.</summary>
    public static string SetComponentValue(string text, string component, string key, string value) =>
        SetEntry(text, [$"component:{component}", component], key, $"{key} = {value}", prepend: false);

    private static string SetEntry(string text, string[] sectionNames, string key, string entry, bool prepend)
    {
        var lines = text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').ToList();
        if (lines is [""]) lines.Clear();
        var header = lines.FindIndex(l => l.Trim() is var t && t.StartsWith('[') && t.EndsWith(']') && sectionNames.Contains(t[1..^1].Trim()));
        if (header < 0)
        {
            var section = new List<string> { $"[{sectionNames[0]}]", entry, "" };
            if (prepend) lines.InsertRange(0, section);
            else
            {
                if (lines.Count > 0 && lines[^1].Trim().Length > 0) lines.Add("");
                lines.AddRange(section);
            }
            return string.Join('\n', lines).TrimEnd('\n') + "\n";
        }
        var end = lines.FindIndex(header + 1, l => l.TrimStart().StartsWith('[') && l.Length > 0 && !char.IsWhiteSpace(l[0]));
        if (end < 0) end = lines.Count;
        var start = lines.FindIndex(header + 1, end - header - 1, l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && KeyOf(l) == key);
        if (start >= 0)
        {
            var stop = start + 1;
            while (stop < end && (lines[stop].Length == 0 || char.IsWhiteSpace(lines[stop][0])) && (lines[stop].Trim().Length > 0 || NextIsContinuation(lines, stop, end)))
                stop++;
            lines.RemoveRange(start, stop - start);
            lines.Insert(start, entry);
        }
        else
        {
            var at = end;
            while (at > header + 1 && lines[at - 1].Trim().Length == 0) at--;
            lines.Insert(at, entry);
        }
        return string.Join('\n', lines).TrimEnd('\n') + "\n";
    }

    private static bool NextIsContinuation(List<string> lines, int index, int end)
    {
        for (var i = index + 1; i < end; i++)
            if (lines[i].Trim().Length > 0) return char.IsWhiteSpace(lines[i][0]);
        return false;
    }

    private static string? KeyOf(string line)
    {
        var eq = line.IndexOfAny(['=', ':']);
        return eq > 0 ? line[..eq].Trim() : null;
    }

    private static string Masked(string problem)
    {
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? problem : problem[..colon] + " (line content not shown: it may be secret)";
    }
}
