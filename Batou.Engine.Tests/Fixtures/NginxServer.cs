using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Batou.Engine.Tests.Fixtures;

/// <summary>
/// A real nginx with its own prefix and configuration in a temporary directory (no systemd):
/// it includes every <c>sites/*.conf</c>, and <see cref="Test"/>/<see cref="Reload"/> are the
/// commands a component uses to validate and reload it. With <c>runAs</c> the prefix belongs to
/// and nginx runs as that user (an ssh test host's account), so a deployment as that user can
/// write its site and reload it.
/// </summary>
public sealed class NginxServer : IDisposable
{
    private readonly string? _runAs;

    public NginxServer(string? runAs = null)
    {
        _runAs = runAs;
        Prefix = Path.Combine(Path.GetTempPath(), "batou-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(Prefix, "sites"));
        Directory.CreateDirectory(Path.Combine(Prefix, "logs"));
        Port = Examples.FreePort();
        File.WriteAllText(Path.Combine(Prefix, "nginx.conf"), $$"""
            pid {{Prefix}}/nginx.pid;
            error_log {{Prefix}}/logs/error.log;
            worker_processes 1;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{Prefix}}/tmp-body;
                proxy_temp_path {{Prefix}}/tmp-proxy;
                fastcgi_temp_path {{Prefix}}/tmp-fastcgi;
                uwsgi_temp_path {{Prefix}}/tmp-uwsgi;
                scgi_temp_path {{Prefix}}/tmp-scgi;
                include {{Prefix}}/sites/*.conf;
                server { listen 127.0.0.1:{{Port}} default_server; return 404 "no site\n"; }
            }
            """);
        if (runAs is not null) Run($"chown -R {runAs} {Prefix}");
        Run(As($"{Base} 2>&1"));
    }

    /// <summary>By its path: /usr/sbin is not on an ordinary (ssh host) user's PATH.</summary>
    private static string Program => File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

    private string As(string command) => _runAs is null ? command : $"su -s /bin/sh {_runAs} -c '{command}'";

    public string Prefix { get; }

    public int Port { get; }

    public string Sites => Path.Combine(Prefix, "sites");

    private string Base => $"{Program} -p {Prefix} -c {Prefix}/nginx.conf -e {Prefix}/logs/error.log";

    public string Test => Base + " -t";

    public string Reload => Base + " -s reload";

    /// <summary>GET http://127.0.0.1:port/ with a Host header; waits up to 10 s for <paramref name="expected"/> (a reload is asynchronous).</summary>
    public string Get(string host, string? expected = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Port}/");
            request.Headers.Host = host;
            var body = client.Send(request).Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (expected is null || body == expected || clock.Elapsed > TimeSpan.FromSeconds(10)) return body;
            Thread.Sleep(100);
        }
    }


    private static void Run(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command}: {output}");
    }

    public void Dispose()
    {
        try { Run(As($"{Base} -s stop 2>&1")); }
        catch (InvalidOperationException) { }
        try { Directory.Delete(Prefix, recursive: true); }
        catch (IOException) { }
    }
}
