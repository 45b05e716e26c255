using System.Text;
using Batou.Engine.Configuration;

namespace Batou.Engine.Secrets;

/// <summary>Writes INI sections in the dialect <see cref="IniParser"/> reads (multi-line values indented).</summary>
internal static class IniWriter
{
    public static string Write(IEnumerable<(string Section, IEnumerable<(string Key, string Value)> Entries)> sections)
    {
        var text = new StringBuilder();
        foreach (var (section, entries) in sections)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append('[').Append(section).Append("]\n");
            foreach (var (key, value) in entries) AppendEntry(text, key, value);
        }
        return text.ToString();
    }

    public static string Write(IniDocument doc) =>
        Write(doc.Sections.Select(s => (s.Name, s.Entries.Select(e => (e.Key, e.Value)))));

    private static void AppendEntry(StringBuilder text, string key, string value)
    {
        var lines = value.Split('\n');
        text.Append(key).Append(" =");
        if (lines[0].Length > 0) text.Append(' ').Append(lines[0]);
        text.Append('\n');
        foreach (var line in lines.Skip(1))
            text.Append(line.Length == 0 ? "" : "    " + line).Append('\n');
    }
}
