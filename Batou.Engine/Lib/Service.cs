using System.Text;

namespace Batou.Lib;

/// <summary>
/// A systemd service generated from settings: <c>&lt;name&gt;.service</c> with
/// <see cref="ExecStart"/>, <see cref="User"/>, <see cref="WorkingDirectory"/>,
/// <see cref="EnvironmentVariables"/>, restarted on failure, wanted by <c>multi-user.target</c>.
/// Everything else is <see cref="SystemdUnit"/> (give a template there for more control).
/// </summary>
public class Service(string name, string? path = null) : SystemdUnit(name + ".service", path)
{
    /// <summary>Required: the command line (an absolute program path).</summary>
    public string? ExecStart { get; set; }

    public string? Description { get; set; }

    public string? User { get; set; }

    public string? WorkingDirectory { get; set; }

    /// <summary><c>KEY=value</c> pairs.</summary>
    public IReadOnlyList<string> EnvironmentVariables { get; set; } = [];

    protected override string? Generated
    {
        get
        {
            if (string.IsNullOrWhiteSpace(ExecStart) || !ExecStart.TrimStart().StartsWith('/'))
                throw new ConfigurationError($"Service(\"{Name}\"): ExecStart must be set to an absolute program path.");
            var text = new StringBuilder($"[Unit]\nDescription={Description ?? Name}\nAfter=network.target\n\n[Service]\nExecStart={ExecStart}\n");
            if (User is not null) text.Append($"User={User}\n");
            if (WorkingDirectory is not null) text.Append($"WorkingDirectory={WorkingDirectory}\n");
            foreach (var variable in EnvironmentVariables) text.Append($"Environment=\"{variable.Replace("\"", "\\\"")}\"\n");
            text.Append("Restart=on-failure\nRestartSec=2\n\n[Install]\nWantedBy=multi-user.target\n");
            return text.ToString();
        }
    }
}
