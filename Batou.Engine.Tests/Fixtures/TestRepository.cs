using System.Diagnostics;
using Batou.Engine.Api;

namespace Batou.Engine.Tests.Fixtures;

/// <summary>
/// A real deployment repository in a temporary directory: write components and environments,
/// deploy through the engine API, read the events and the files it produced.
/// </summary>
public sealed class TestRepository : IDisposable
{
    public TestRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "batou-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The ssh client the deployments default to (<c>openssh</c> or <c>builtin</c>); null leaves the engine's default.</summary>
    public string? SshClient { get; set; }

    /// <summary>The request options that make <see cref="SshClient"/> the default.</summary>
    public SshOptions? SshOptions => SshClient is null ? null : new SshOptions { DefaultClient = SshClient };

    public string Work(string relative = "") => Path.Combine(Root, "work", relative);

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes <c>components/&lt;name&gt;/component.cs</c> (or another file with <paramref name="file"/>).</summary>
    public TestRepository Component(string name, string code, string file = "component.cs") =>
        Write($"components/{name}/{file}", code);

    public TestRepository Environment(string name, string cfg) =>
        Write($"environments/{name}/environment.cfg", cfg);

    /// <summary>An environment with <c>connect_method = local</c> and one host running <paramref name="components"/>.</summary>
    public TestRepository LocalEnvironment(string components, string extra = "", string name = "test") =>
        Environment(name, $"[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = {components}\n{extra}");

    public TestRepository Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public DeploymentResult Deploy(string environment = "test", DeploymentMode mode = DeploymentMode.Deploy, int? jobs = null, string? platform = null) =>
        DeployAsync(new DeploymentRequest(Root, environment) { Mode = mode, Jobs = jobs, Platform = platform, Ssh = SshOptions }).GetAwaiter().GetResult();

    public static async Task<DeploymentResult> DeployAsync(DeploymentRequest request, CancellationToken token = default)
    {
        var events = new List<DeploymentEvent>();
        await foreach (var e in BatouEngine.RunAsync(request, token))
            events.Add(e);
        return new DeploymentResult(events);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The events of one deployment, with shortcuts for assertions.</summary>
public sealed record DeploymentResult(IReadOnlyList<DeploymentEvent> Events)
{
    public DeploymentFinished Finished => Events.OfType<DeploymentFinished>().Single();

    public bool Success => Finished.Success;

    public IReadOnlyList<BatouError> Errors =>
        Events.OfType<ErrorRaised>().Select(e => e.Error)
            .Concat(Events.OfType<ConfigurationFailed>().SelectMany(f => f.Errors)).ToList();

    public IReadOnlyList<BatouError> Warnings => Events.OfType<WarningRaised>().Select(w => w.Warning).ToList();

    public IEnumerable<T> Of<T>() where T : DeploymentEvent => Events.OfType<T>();

    /// <summary>Breadcrumbs of every component that needed an update.</summary>
    public IReadOnlyList<string> Updated => Events.OfType<ComponentNeedsUpdate>().Select(c => c.Breadcrumbs).ToList();

    public BatouError Error(string kind) =>
        Errors.FirstOrDefault(e => e.Kind == kind) ?? throw new Xunit.Sdk.XunitException(
            $"no {kind} error; got: {string.Join("; ", Errors.Select(e => e.Kind + ": " + e.Message))}");

    public override string ToString() => string.Join("\n", Events.Select(e => e.ToString()));
}

/// <summary>Runs the real <c>batou</c> CLI (the built Batou.Cli) as a process.</summary>
public static class Cli
{
    public static string BatouDll { get; } = Path.Combine(AppContext.BaseDirectory, "batou.dll");

    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, new Dictionary<string, string?>(), args);

    /// <summary>Runs with <paramref name="environment"/> set on top of the test's own (a null value removes a variable).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(BatouDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(true);
            throw new TimeoutException("batou " + string.Join(' ', args) + " did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
