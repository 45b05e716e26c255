using System.Net;
using System.Net.Sockets;

namespace Batou.Engine.Tests.Fixtures;

/// <summary>The repository's own examples/ as test input, and a free loopback port for the services they start.</summary>
public static class Examples
{
    /// <summary>Copies examples/<paramref name="name"/> (without build output and work/) into <paramref name="repo"/>.</summary>
    public static void CopyInto(TestRepository repo, string name)
    {
        var source = Dir(name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("work", StringComparison.Ordinal) || relative.Contains("/bin/") || relative.Contains("/obj/")) continue;
            repo.Write(relative, File.ReadAllText(file));
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Dir(string name, [System.Runtime.CompilerServices.CallerFilePath] string path = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(path)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Batou.sln")))
                return Path.Combine(dir.FullName, "examples", name);
        throw new DirectoryNotFoundException("Batou.sln not found");
    }
}
