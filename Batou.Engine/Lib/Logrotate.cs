using System.Text;

namespace Batou.Lib;

/// <summary>
/// A logrotate configuration, <c>/etc/logrotate.d/&lt;name&gt;</c> (or <c>path</c>): generated from
/// <see cref="Logs"/> and the rotation settings, or from a template. Validated with
/// <c>logrotate -d</c>: an error about the file itself (unknown option, bad syntax) restores the
/// previous file and fails with logrotate's message; messages about the logs (not there yet) do not.
/// </summary>
public class Logrotate(string name, string? path = null) : CheckedConfig(path ?? $"/etc/logrotate.d/{name}")
{
    [NotASetting] public string Name { get; } = name;

    /// <summary>The log files (globs allowed).</summary>
    public IReadOnlyList<string> Logs { get; set; } = [];

    /// <summary>daily, weekly, monthly or yearly.</summary>
    public string Frequency { get; set; } = "daily";

    /// <summary>How many rotated logs to keep.</summary>
    public int Rotate { get; set; } = 14;

    public bool Compress { get; set; } = true;

    /// <summary>Truncate in place instead of moving (for programs that keep the file open and cannot reopen it).</summary>
    public bool CopyTruncate { get; set; }

    /// <summary>A shell command run after rotation (e.g. tell the service to reopen its logs).</summary>
    public string? Postrotate { get; set; }

    /// <summary>The logrotate program (the command seam).</summary>
    public string Program { get; set; } = "logrotate";

    protected override string? BreadcrumbValue => Name;

    protected override string? ApplyCommand => null;

    protected override string? CheckCommand =>
        $"out=$({Program} -d {Quote(Path)} 2>&1); if printf '%s\\n' \"$out\" | grep -F -- {Quote("error: " + Path + ":")} >&2; then exit 1; fi";

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    protected override string? Generated
    {
        get
        {
            if (Logs.Count == 0)
                throw new ConfigurationError($"Logrotate(\"{Name}\"): set Logs (or give a template with Content or Source).");
            if (Frequency is not ("daily" or "weekly" or "monthly" or "yearly"))
                throw new ConfigurationError($"Logrotate(\"{Name}\"): Frequency must be daily, weekly, monthly or yearly (got {Frequency}).");
            var text = new StringBuilder(string.Join(' ', Logs)).Append(" {\n");
            text.Append($"    {Frequency}\n    rotate {Rotate}\n    missingok\n    notifempty\n");
            if (Compress) text.Append("    compress\n    delaycompress\n");
            if (CopyTruncate) text.Append("    copytruncate\n");
            if (Postrotate is not null) text.Append($"    sharedscripts\n    postrotate\n        {Postrotate}\n    endscript\n");
            return text.Append("}\n").ToString();
        }
    }
}
