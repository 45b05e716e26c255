namespace Batou.Engine.Configuration;

/// <summary>One <c>key = value</c> of an INI file, with the line it starts on.</summary>
public sealed record IniEntry(string Key, string Value, int Line);

public sealed record IniSection(string Name, int Line, IReadOnlyList<IniEntry> Entries)
{
    public IniEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key == key);

    public string? Get(string key) => Find(key)?.Value;
}

/// <summary>A parsed INI file in batou's dialect (configparser, raw, case-sensitive keys).</summary>
public sealed record IniDocument(string Path, IReadOnlyList<IniSection> Sections)
{
    public IniSection? Section(string name) => Sections.FirstOrDefault(s => s.Name == name);

    /// <summary>batou's list value: comma-separated if it has a comma, else one item per line.</summary>
    public static IReadOnlyList<string> AsList(string value)
    {
        if (value.Contains(','))
            return value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
        return value.Split('\n').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
    }
}
