using System.Diagnostics;

namespace Batou.Engine.Tests.Fixtures;

/// <summary>
/// A real supervisord with its own configuration, socket and <c>conf.d/</c> in a temporary directory;
/// with <c>runAs</c> it belongs to and runs as that user (an ssh test host's account), so a deployment
/// as that user can write its program files and drive it.
/// </summary>
public sealed class SupervisorServer : IDisposable
{
    private readonly string? _runAs;

    public SupervisorServer(string? runAs = null)
    {
        _runAs = runAs;
        Dir = Path.Combine(Path.GetTempPath(), "batou-supervisor-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(Dir, "conf.d"));
        Directory.CreateDirectory(Path.Combine(Dir, "logs"));
        File.WriteAllText(Config, $"""
            [unix_http_server]
            file={Dir}/supervisor.sock

            [supervisord]
            logfile={Dir}/supervisord.log
            pidfile={Dir}/supervisord.pid
            childlogdir={Dir}/logs

            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

            [supervisorctl]
            serverurl=unix://{Dir}/supervisor.sock

            [include]
            files = {Dir}/conf.d/*.conf
            """);
        if (runAs is not null) Run($"chown -R {runAs} {Dir}");
        Run(As($"supervisord -c {Config}"));
        var clock = Stopwatch.StartNew();
        while (Run($"{Ctl} pid", check: false) != 0 && clock.Elapsed < TimeSpan.FromSeconds(20))
            Thread.Sleep(100);
    }

    public string Dir { get; }

    public string Config => Path.Combine(Dir, "supervisord.conf");

    public string ConfD => Path.Combine(Dir, "conf.d");

    /// <summary>The supervisorctl invocation for this server (a component's <c>Supervisorctl</c>).</summary>
    public string Ctl => $"supervisorctl -c {Config}";

    public string Status(string name)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"{Ctl} status {name}"]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    private string As(string command) => _runAs is null ? command : $"su -s /bin/sh {_runAs} -c '{command}'";

    private static int Run(string command, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0) throw new InvalidOperationException($"{command}: {output}");
        return process.ExitCode;
    }

    public void Dispose()
    {
        Run(As($"{Ctl} shutdown"), check: false);
        var pidFile = Path.Combine(Dir, "supervisord.pid");
        var clock = Stopwatch.StartNew();
        while (File.Exists(pidFile) && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(100);
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
