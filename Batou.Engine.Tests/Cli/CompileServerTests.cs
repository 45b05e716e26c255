using System.Diagnostics;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

/// <summary>
/// The warm compile server (issue #13): the real CLI, its own runtime directory and compile cache per test, so each test
/// talks to a server of its own and stops it at the end.
/// </summary>
public sealed class CompileServerTests : IDisposable
{
    private const string Canary = "canary-compile-server-7f3a9c";
    private readonly string _state = Directory.CreateTempSubdirectory("batou-compile-server-").FullName;
    private readonly List<TestRepository> _repos = [];

    private string Runtime => Path.Combine(_state, "runtime");

    private Dictionary<string, string?> Environment(string? server = null) => new()
    {
        ["XDG_RUNTIME_DIR"] = Runtime,
        ["BATOU_COMPILE_CACHE"] = Path.Combine(_state, "cache"),
        ["BATOU_COMPILE_SERVER"] = server,
        ["BATOU_TEST_CANARY"] = Canary,
    };

    private TestRepository Repository(string text)
    {
        Directory.CreateDirectory(Runtime);
        var repo = new TestRepository();
        _repos.Add(repo);
        repo.Component("greeting", $$"""
            public sealed class Greeting : Component
            {
                protected override void Configure() => Add(new File("greeting.txt") { Content = "{{text}}\n" });
            }
            """).LocalEnvironment("greeting");
        return repo;
    }

    private (int Code, string Stdout) Deploy(TestRepository repo, string? server = null)
    {
        var (code, stdout, stderr) = Fixtures.Cli.Run(repo.Root, Environment(server), "deploy", "test");
        return (code, stdout + stderr);
    }

    private string Status() => Fixtures.Cli.Run(_state, Environment(), "compile-server", "--status").Stdout;

    private static int Pid(string status)
    {
        var match = System.Text.RegularExpressions.Regex.Match(status, @"pid (\d+), (\d+) compilation");
        Assert.True(match.Success, status);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_first_compilation_starts_the_server_and_the_next_repository_is_compiled_by_the_same_warm_process()
    {
        var first = Repository("one");
        var (code, output) = Deploy(first);
        Assert.True(code == 0, output);
        Assert.Equal("one\n", first.Read("work/greeting/greeting.txt"));
        var status = Status();
        Assert.Contains("1 compilation(s)", status);
        var pid = Pid(status);

        var second = Repository("two");
        (code, output) = Deploy(second);
        Assert.True(code == 0, output);
        Assert.Equal("two\n", second.Read("work/greeting/greeting.txt"));
        status = Status();
        Assert.Contains("2 compilation(s)", status);
        Assert.Equal(pid, Pid(status));

        // private: the directory 0700, the socket 0600
        var dir = Path.Combine(Runtime, "batou-compile");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        var socket = Assert.Single(Directory.GetFiles(dir, "*.sock"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
    }

    [Fact]
    public async Task Two_deployments_that_both_start_a_server_end_up_with_one_that_compiled_both()
    {
        var repos = new[] { Repository("left"), Repository("right") };
        var runs = await Task.WhenAll(repos.Select(r => Task.Run(() => Deploy(r))));
        foreach (var (code, output) in runs) Assert.True(code == 0, output);
        Assert.Equal("left\n", repos[0].Read("work/greeting/greeting.txt"));
        Assert.Equal("right\n", repos[1].Read("work/greeting/greeting.txt"));
        Assert.Contains("2 compilation(s)", Status());
        Assert.Single(Directory.GetFiles(Path.Combine(Runtime, "batou-compile"), "*.sock"));
    }

    [Fact]
    public void Compiler_errors_read_the_same_through_the_server_as_in_process()
    {
        string Errors(string? server)
        {
            var repo = Repository("broken");
            repo.Component("greeting", """
                public sealed class Greeting : Component
                {
                    protected override void Configure() => Add(new File("x") { Content = undefinedName });
                }
                """);
            var (code, output) = Deploy(repo, server);
            Assert.Equal(1, code);
            return string.Join('\n', output.Split('\n').Where(l => l.Contains("ERROR") || l.Contains("File:") || l.Contains("Exception:")));
        }

        var local = Errors("off");
        Assert.Contains("No compile server", Status());
        var remote = Errors(null);
        Assert.Contains("components/greeting/component.cs:3:", local);
        Assert.Contains("CS0103", local);
        Assert.Equal(local, remote);
        Assert.Contains("1 compilation(s)", Status());   // the failed compilation was the server's
    }

    [Fact]
    public void Off_means_no_server_and_a_stopped_or_killed_server_is_replaced()
    {
        var repo = Repository("off");
        var (code, output) = Deploy(repo, "off");
        Assert.True(code == 0, output);
        Assert.False(Directory.Exists(Path.Combine(Runtime, "batou-compile")) && Directory.GetFiles(Path.Combine(Runtime, "batou-compile"), "*.sock").Length > 0);
        Assert.Contains("No compile server", Status());

        (code, output) = Deploy(Repository("started"));
        Assert.True(code == 0, output);
        var pid = Pid(Status());
        Assert.Contains("The compile server stops.", Fixtures.Cli.Run(_state, Environment(), "compile-server", "--stop").Stdout);
        WaitUntilGone(pid);

        (code, output) = Deploy(Repository("restarted"));
        Assert.True(code == 0, output);
        var next = Pid(Status());
        Assert.NotEqual(pid, next);

        // killed: its socket file stays behind, the next deployment compiles anyway and starts a new server
        Process.GetProcessById(next).Kill();
        WaitUntilGone(next);
        var again = Repository("after kill");
        (code, output) = Deploy(again);
        Assert.True(code == 0, output);
        Assert.Equal("after kill\n", again.Read("work/greeting/greeting.txt"));
        Assert.NotEqual(next, Pid(Status()));
    }

    [Fact]
    public void The_server_keeps_nothing_of_the_deployments_environment()
    {
        var repo = Repository("environment");
        var (code, output) = Deploy(repo);
        Assert.True(code == 0, output);
        var pid = Pid(Status());
        var environ = File.ReadAllText($"/proc/{pid}/environ");
        var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
        Assert.Contains("XDG_RUNTIME_DIR=" + Runtime, environ);   // what it needs it has
        Assert.DoesNotContain(Canary, environ);
        Assert.DoesNotContain("BATOU_COMPILE_CACHE", environ);
        Assert.DoesNotContain(Canary, cmdline);
        Assert.Contains("compile-server", cmdline);
    }

    [Fact]
    public void The_server_ends_by_itself_when_idle_and_removes_its_socket()
    {
        var environment = Environment();
        environment["BATOU_COMPILE_SERVER_IDLE"] = "1";
        var repo = Repository("idle");
        var (code, stdout, stderr) = Fixtures.Cli.Run(repo.Root, environment, "deploy", "test");
        Assert.True(code == 0, stdout + stderr);
        var dir = Path.Combine(Runtime, "batou-compile");
        Assert.Single(Directory.GetFiles(dir, "*.lock"));   // a server ran (it made the lock file)
        var waited = Stopwatch.StartNew();
        while (Directory.GetFiles(dir, "*.sock").Length > 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
        Assert.Empty(Directory.GetFiles(dir, "*.sock"));   // ended by itself (a killed server leaves its socket)
        Assert.Contains("No compile server", Status());
    }

    /// <summary>Waits until the process is gone or a zombie (nobody here is its parent: it left the deployment's session).</summary>
    private static void WaitUntilGone(int pid)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (IOException) { return; }
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) return;
            Thread.Sleep(50);
        }
        Assert.Fail($"the compile server (pid {pid}) is still running after 30 s");
    }

    public void Dispose()
    {
        Fixtures.Cli.Run(_state, Environment(), "compile-server", "--stop");
        foreach (var repo in _repos) repo.Dispose();
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }
}
