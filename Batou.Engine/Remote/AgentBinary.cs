using System.Security.Cryptography;
using Batou.Engine.Api;

namespace Batou.Engine.Remote;

/// <summary>
/// The self-contained linux-x64 <c>batou</c> that runs on targets: this program itself when it is
/// such a single-file build, else <c>BATOU_AGENT</c>, else <c>agent/linux-x64/batou</c> beside it.
/// Identified by its content hash, so an unchanged agent is never uploaded twice.
/// </summary>
internal sealed record AgentBinary(string Path, string Hash)
{
    public const string Hint =
        "build it with `dotnet publish Batou.Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -o <batou dir>/agent/linux-x64`, or point BATOU_AGENT at it";

    private static readonly Lock s_gate = new();
    private static AgentBinary? s_cached;

    public static AgentBinary Locate()
    {
        lock (s_gate)
        {
            if (s_cached is not null && File.Exists(s_cached.Path)) return s_cached;
            var path = Candidates().FirstOrDefault(File.Exists)
                ?? throw new BatouException(BatouError.Create("AgentMissing", "The remote agent (a self-contained linux-x64 batou) was not found",
                    ("Looked at", string.Join(", ", Candidates())), ("Hint", Hint)));
            return s_cached = new AgentBinary(path, HashOf(path));
        }
    }

    private static IEnumerable<string> Candidates()
    {
        if (System.Environment.GetEnvironmentVariable("BATOU_AGENT") is { Length: > 0 } configured)
            yield return System.IO.Path.GetFullPath(configured);
#pragma warning disable IL3000 // an empty Location is exactly how a single-file build is recognised
        var singleFile = string.IsNullOrEmpty(typeof(AgentBinary).Assembly.Location);
#pragma warning restore IL3000
        if (singleFile && System.Environment.ProcessPath is { } self
            && OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
            yield return self;
        yield return System.IO.Path.Combine(AppContext.BaseDirectory, "agent", "linux-x64", "batou");
    }

    /// <summary>SHA-256 of the file, remembered beside it (keyed by size and time) so 70 MB are not hashed every run.</summary>
    internal static string HashOf(string path)
    {
        var info = new FileInfo(path);
        var stamp = $"{info.Length}:{info.LastWriteTimeUtc.Ticks}";
        var sidecar = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "batou-agent-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(path)))[..16] + ".sha256");
        if (File.Exists(sidecar) && File.ReadAllText(sidecar).Split(' ') is [var s, var h] && s == stamp)
            return h;
        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..32];
        try { File.WriteAllText(sidecar, stamp + " " + hash); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return hash;
    }
}
