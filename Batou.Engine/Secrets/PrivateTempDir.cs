namespace Batou.Engine.Secrets;

/// <summary>
/// A directory only the current user can enter (0700), for the few moments a cleartext must be a
/// file (the editor). Files are created 0600 and everything is overwritten and removed on dispose.
/// </summary>
internal sealed class PrivateTempDir : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public PrivateTempDir()
    {
        Path = Directory.CreateTempSubdirectory("batou-secrets-").FullName;
        File.SetUnixFileMode(Path, Private | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to a new 0600 file and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Private }))
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            writer.Write(content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
            {
                var length = new FileInfo(file).Length;
                File.WriteAllBytes(file, new byte[length]);   // best effort: no cleartext left in freed blocks
            }
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
