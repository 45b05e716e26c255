namespace Batou;

/// <summary>A command run by <see cref="Component.Cmd"/> exited non-zero.</summary>
public sealed class CmdExecutionError(string command, int exitCode, string stdout, string stderr)
    : Exception($"Command failed with exit code {exitCode}: {command}")
{
    public string Command { get; } = command;
    public int ExitCode { get; } = exitCode;
    public string Stdout { get; } = stdout;
    public string Stderr { get; } = stderr;
}
