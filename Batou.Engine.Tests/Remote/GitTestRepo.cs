using System.Diagnostics;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// git for the remote tests' own repositories: an isolated HOME with an identity and
/// <c>safe.directory = *</c> (the tests read checkouts owned by the host users), never the machine's.
/// </summary>
internal static class GitTestRepo
{
    private static readonly string s_home = CreateHome();

    public static string Run(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["HOME"] = s_home;
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} in {directory} failed: {stderr}");
        return stdout.Result.Trim();
    }

    /// <summary>git init on branch main with a .gitignore for what batou writes, then commits everything.</summary>
    public static string InitAndCommit(string directory, string message = "initial")
    {
        Run(directory, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(directory, ".gitignore"), "work/\n.batou-lock\n");
        return Commit(directory, message);
    }

    public static string Commit(string directory, string message)
    {
        Run(directory, "add", "-A");
        Run(directory, "commit", "-q", "--allow-empty", "-m", message);
        return Run(directory, "rev-parse", "HEAD");
    }

    /// <summary>A bare repository (owned by <paramref name="owner"/> when given, so that host user may fetch from it).</summary>
    public static string BareOrigin(string? owner = null)
    {
        var path = Path.Combine(Path.GetTempPath(), "batou-origin-" + Guid.NewGuid().ToString("N")[..10] + ".git");
        Directory.CreateDirectory(path);
        Run(path, "init", "-q", "--bare", "-b", "main");
        if (owner is not null) Shell("chown", "-R", owner, path);
        return path;
    }

    /// <summary>The owner (user name) of a file.</summary>
    public static string Owner(string path) => Shell("stat", "-c", "%U", path);

    public static string Shell(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result.Trim();
    }

    private static string CreateHome()
    {
        var home = Directory.CreateTempSubdirectory("batou-git-home-").FullName;
        File.WriteAllText(Path.Combine(home, ".gitconfig"),
            "[user]\n\tname = batou tests\n\temail = batou-tests@localhost\n[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n");
        return home;
    }
}

/// <summary>A remote-test repository with an ssh environment and cleanup of what it put on the hosts.</summary>
internal sealed class RemoteScenario : IDisposable
{
    private readonly List<string> _cleanup = [];

    public RemoteScenario()
    {
        SshHosts.Prepare(Repo);
    }

    public TestRepository Repo { get; } = new();

    public string Target { get; } = "t-" + Guid.NewGuid().ToString("N")[..10];

    public string OnHost(string host, string relative = "") => Path.Combine(SshHosts.Home(host), Target, relative);

    public const string Single = """
        public sealed class Single : Component
        {
            public int Port { get; set; } = 5432;
            protected override void Configure() => Add(new File("db.conf") { Content = $"port {Port}\nhost {Host.Name}\nuser {System.Environment.UserName}\n" });
        }
        """;

    public RemoteScenario Environment(string hosts, string extra = "", string directory = "")
    {
        Repo.Write(Path.Combine(directory, "environments/remote/environment.cfg"),
            $"[environment]\nconnect_method = ssh\ntarget_directory = ~/{Target}\n{extra}\n[hosts]\n{hosts}\n");
        return this;
    }

    public void RemoveLater(string path) => _cleanup.Add(path);

    public void Dispose()
    {
        Repo.Dispose();
        foreach (var host in new[] { "host1", "host2", "host3" })
        {
            var dir = Path.Combine(SshHosts.Home(host), Target);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        foreach (var path in _cleanup)
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
