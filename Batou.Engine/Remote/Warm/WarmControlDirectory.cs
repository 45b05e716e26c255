namespace Batou.Engine.Remote.Warm;

/// <summary>
/// Where a warm host's OpenSSH master socket lives between runs: <c>$XDG_RUNTIME_DIR/batou-ssh</c>, else
/// <c>~/.cache/batou/ssh</c>; created 0700 (and set back to 0700), so only this user reaches the masters.
/// Null (warm masters off, the run's own directory is used) when neither can be made private.
/// </summary>
internal static class WarmControlDirectory
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static string? Get()
    {
        var runtime = System.Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var dir = runtime is { Length: > 0 } && Directory.Exists(runtime)
            ? Path.Combine(runtime, "batou-ssh")
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache", "batou", "ssh");
        try
        {
            Directory.CreateDirectory(dir);
            if (File.GetUnixFileMode(dir) != Private) File.SetUnixFileMode(dir, Private);
            return dir;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
