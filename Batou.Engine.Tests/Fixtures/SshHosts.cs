using System.Runtime.CompilerServices;

namespace Batou.Engine.Tests.Fixtures;

/// <summary>
/// The loopback sshd started by scripts/test-sshd.sh (test.sh runs it): hosts host1..host3, each
/// a local user <c>batou-hostN</c>. Tests write the generated ssh_config into their repository.
/// </summary>
public static class SshHosts
{
    public static string StateDir { get; } = Locate();

    public static string SshConfig => Path.Combine(StateDir, "ssh_config");

    public static string Home(string host) => $"/home/batou-{host}";

    /// <summary>Both transports, for theories: every remote test runs over OpenSSH and over SSH.NET.</summary>
    public static TheoryData<string> Clients => new() { "openssh", "builtin" };

    /// <summary>Prepares a repository for ssh deployment: its ssh_config, and BATOU_AGENT for the engine.</summary>
    public static void Prepare(TestRepository repo, string? client = null)
    {
        if (client is not null) repo.SshClient = client;
        if (!File.Exists(SshConfig))
            throw new InvalidOperationException($"No test sshd: {SshConfig} is missing. Run ./test.sh (it starts scripts/test-sshd.sh).");
        repo.Write("ssh_config", File.ReadAllText(SshConfig));
        var agent = Path.Combine(RepoRoot(), ".artifacts", "agent", "linux-x64", "batou");
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("BATOU_AGENT")) && File.Exists(agent))
            Environment.SetEnvironmentVariable("BATOU_AGENT", agent);
    }

    private static string Locate() =>
        Environment.GetEnvironmentVariable("BATOU_TEST_SSH_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepoRoot(), ".test-sshd");

    public static string RepoRoot([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Batou.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Batou.sln not found above " + source);
    }
}
