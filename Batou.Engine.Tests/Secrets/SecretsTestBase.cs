using Batou.Engine.Api;
using Batou.Engine.Secrets;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Secrets;

/// <summary>A repository with an "app" component that writes its secret setting, host data and a secret file.</summary>
public abstract class SecretsTestBase : IDisposable
{
    public const string App = """
        public sealed class App : Component
        {
            public string Password { get; set; } = "none";
            public int Port { get; set; } = 80;
            protected override void Configure()
            {
                Add(new File("app.conf") { Content = $"port {Port}\npassword {Password}\n" });
                Add(new File("alias") { Content = (Host.Data.TryGetValue("alias", out var a) ? a : "no alias") + "\n" });
                Add(new File("cert.pem") { Content = Environment.SecretFiles.TryGetValue("cert.pem", out var c) ? c : "no cert\n" });
            }
        }
        """;

    protected SecretsTestBase()
    {
        Keys = SecretsKeys.Get();
        Repo = new TestRepository();
        Repo.Component("app", App).LocalEnvironment("app");
    }

    protected SecretsKeys.Keys Keys { get; }

    protected TestRepository Repo { get; }

    protected string Members => $"{Keys.AgePublic},\n    {Keys.SshPublic}";

    /// <summary>Writes environments/test/secrets.cfg.* through the engine (real age/gpg).</summary>
    protected IReadOnlyList<string> WriteSecrets(string body, string provider = "age", string env = "test", string? members = null) =>
        SecretStore.Open(Repo.Root, env).WriteMain($"[batou]\nmembers = {members ?? Members}\nsecret_provider = {provider}\n\n{body}");

    protected string WriteSecretFile(string name, string content, string env = "test") =>
        SecretStore.Open(Repo.Root, env).WriteFile(name, content);

    /// <summary>
    /// Samples every process's command line (/proc/*/cmdline) and environment (/proc/*/environ, as
    /// "environ of CMDLINE: VARS") into <paramref name="seen"/> until disposed.
    /// </summary>
    protected static IDisposable WatchProcesses(List<string> seen)
    {
        var stop = new CancellationTokenSource();
        var known = new HashSet<string>(StringComparer.Ordinal);
        void Add(string text)
        {
            lock (seen) if (known.Add(text)) seen.Add(text);
        }
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var dir in Directory.GetDirectories("/proc"))
                {
                    try
                    {
                        var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                        if (cmd.Length == 0) continue;
                        Add(cmd);
                        var environ = File.ReadAllText(Path.Combine(dir, "environ")).Replace('\0', ' ').Trim();
                        Add($"environ of {cmd}: {environ}");
                    }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
            }
        }) { IsBackground = true };
        thread.Start();
        return new Stop(() => { stop.Cancel(); thread.Join(); stop.Dispose(); });
    }

    private sealed class Stop(Action action) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) action();
        }
    }

    protected static string Json(DeploymentResult result) => string.Join("\n", result.Events.Select(EventJson.Serialize));

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) => Repo.Dispose();
}
