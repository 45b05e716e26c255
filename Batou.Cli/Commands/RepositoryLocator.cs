namespace Batou.Cli.Commands;

/// <summary>Finds the deployment repository: the given directory, or the nearest parent with <c>environments/</c>.</summary>
internal static class RepositoryLocator
{
    public static string? Find(string? directory)
    {
        var start = Path.GetFullPath(directory ?? Directory.GetCurrentDirectory());
        if (directory is not null) return Directory.Exists(start) ? start : null;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "environments")))
                return dir.FullName;
        return start;
    }
}
