namespace Batou.Lib;

/// <summary>Ensures permission bits: <c>"0644"</c>, <c>"644"</c> or <c>"rw-r--r--"</c>.</summary>
public class Mode(string path) : FileComponent(path)
{
    public string? Value { get; set; }

    [NotASetting] public UnixFileMode Wanted { get; private set; }

    protected override void Configure()
    {
        if (Value is null) throw new ConfigurationError("`mode` is required and `None` is not a valid value.");
        Wanted = Parse(Value);
    }

    /// <summary>Parses an octal string or a <c>rwxr-x---</c> string.</summary>
    public static UnixFileMode Parse(string value)
    {
        var v = value.Trim();
        if (v.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) v = v[2..];
        if (v.Length is >= 1 and <= 4 && v.All(c => c is >= '0' and <= '7'))
            return (UnixFileMode)Convert.ToInt32(v, 8);
        if (v.Length == 9)
        {
            var bits = 0;
            const string pattern = "rwxrwxrwx";
            for (var i = 0; i < 9; i++)
            {
                if (v[i] == pattern[i]) bits |= 1 << (8 - i);
                else if (v[i] != '-') throw new ConfigurationError($"Mode-string should be between `---------` and `rwxrwxrwx`, not `{value}`.");
            }
            return (UnixFileMode)bits;
        }
        throw new ConfigurationError($"Mode `{value}` is neither octal (0644) nor a mode-string (rw-r--r--).");
    }

    protected override void Verify()
    {
        if (!System.IO.File.Exists(Path) && !System.IO.Directory.Exists(Path))
            throw new UpdateNeeded($"{OriginalPath} does not exist yet");
        var current = System.IO.File.GetUnixFileMode(Path);
        if (current != Wanted)
            throw new UpdateNeeded($"mode is {Format(current)}, wanted {Format(Wanted)}");
    }

    protected override void Update() => System.IO.File.SetUnixFileMode(Path, Wanted);

    private static string Format(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
