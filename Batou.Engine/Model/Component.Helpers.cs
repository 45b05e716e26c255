using System.Security.Cryptography;
using System.Text;
using Batou.Engine.Api;
using Batou.Engine.Templates;
using Batou.Engine.Util;

namespace Batou;

public abstract partial class Component
{
    /// <summary>Reads the command from stdin (keeping trailing newlines), then runs it with stdin from /dev/null.</summary>
    private const string ShellReader = "batou_cmd=$(cat; echo .) && batou_cmd=${batou_cmd%.} && exec </dev/null && eval \"$batou_cmd\"";

    /// <summary>
    /// Runs a shell command (expanded as a template unless <paramref name="expand"/> is false) in
    /// the workdir. A non-zero exit throws <see cref="CmdExecutionError"/> unless ignored. Stdin is
    /// closed, so interactive commands cannot hang; the environment's <c>timeout</c> bounds it. After a cancel it
    /// may run for the environment's <c>cancel_grace</c>; then it is killed with everything it started.
    /// </summary>
    protected (string Stdout, string Stderr) Cmd(string command, bool silent = false, bool ignoreReturnCode = false,
        IReadOnlyDictionary<string, string>? env = null, bool expand = true)
    {
        var text = expand ? Expand(command) : command;
        var cwd = Workdir;
        if (!Predicting) System.IO.Directory.CreateDirectory(cwd);
        else if (!System.IO.Directory.Exists(cwd)) cwd = Environment.BaseDir;
        // The command text travels on the shell's standard input, never on its command line or in
        // its environment (both readable in /proc): the shell reads it whole, then gives the
        // command /dev/null as stdin, as closed as before.
        // while deploying, each output line is an event as it is produced (masked like every event); silent commands
        // (checks such as AssertCmd) and commands run while configuring stay quiet
        Action<bool, string>? onLine = null;
        if (!silent && RootState?.Session is { } session)
        {
            var (host, breadcrumbs) = (Host.Name, Breadcrumbs);
            onLine = (error, line) => session.Emit(new CommandOutput(host, breadcrumbs, error ? "stderr" : "stdout", line));
        }
        var result = ProcessRunner.Run("/bin/sh", ["-c", ShellReader], cwd, env,
            RootState?.Environment.Settings.Timeout ?? TimeSpan.FromMinutes(10),
            RootState?.Session?.Kill ?? default, stdin: text, onLine: onLine);   // a cancel lets it run for the grace period, then kills it
        if (result.TimedOut)
            throw new CmdExecutionError(text, -1, result.Stdout,
                $"timed out after {RootOrThrow.Environment.Settings.Timeout.TotalSeconds:0}s (environment setting `timeout`)\n" + result.Stderr);
        if (result.ExitCode != 0 && !ignoreReturnCode)
            throw new CmdExecutionError(text, result.ExitCode, result.Stdout, result.Stderr);
        if (!silent && result.ExitCode != 0)
            Log($"{text}: exit code {result.ExitCode}");
        return (result.Stdout, result.Stderr);
    }

    /// <summary><see cref="Cmd"/>, turning a failure into <see cref="UpdateNeeded"/>.</summary>
    protected void AssertCmd(string command, bool expand = true)
    {
        try
        {
            Cmd(command, silent: true, expand: expand);
        }
        catch (CmdExecutionError e)
        {
            throw new UpdateNeeded($"`{e.Command}` exited with {e.ExitCode}");
        }
    }

    /// <summary>
    /// Writes a message: while configuring it is shown once after the model is built; while
    /// deploying it is shown immediately with the host name.
    /// </summary>
    protected void Log(string message)
    {
        var root = RootOrThrow;
        if (root.Session is { } session)
            session.Emit(new LogLine(Host.Name, Breadcrumbs, message));
        else
            root.ConfigureLogs.Add(message);
    }

    /// <summary>
    /// Writes a file by rename (never half-written). While deploying it is made durable with the root's other
    /// files when the root ends (<see cref="Engine.Util.DeferredSync"/>); otherwise at once.
    /// </summary>
    internal void WriteAtomically(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        if (RootState?.Session is { } session && Engine.Util.AtomicFile.WriteDeferred(path, content, mode)) session.Written(path);
        else Engine.Util.AtomicFile.Write(path, content, mode);
    }

    /// <summary>Creates the file or updates its modification time.</summary>
    protected void Touch(string path)
    {
        var full = Map(path);
        if (!System.IO.File.Exists(full))
            System.IO.File.WriteAllBytes(full, []);
        System.IO.File.SetLastWriteTimeUtc(full, DateTime.UtcNow);
    }

    /// <summary>
    /// A path made absolute: <c>~</c> is the home directory, relative paths are under <see cref="Workdir"/>;
    /// an absolute path goes through the environment's <c>[vfs]</c> sandbox, if any.
    /// </summary>
    public string Map(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) + path[1..];
        if (!Path.IsPathRooted(path)) return Path.GetFullPath(Path.Combine(Workdir, path));
        var full = Path.GetFullPath(path);
        return RootState?.Environment.Vfs is { } vfs ? vfs.Apply(full, Environment.WorkBase) : full;
    }

    /// <summary>Renders a Handlebars template string with <c>component</c>, <c>host</c>, <c>environment</c> in scope.</summary>
    public string Expand(string template, Component? context = null, object? args = null, string? name = null) =>
        TemplateRenderer.Render(template, name ?? Breadcrumbs, context ?? this, args);

    /// <summary>Renders a template file (relative to <see cref="Defdir"/>).</summary>
    public string Template(string filename, Component? context = null, object? args = null)
    {
        var path = Path.IsPathRooted(filename) ? filename : Path.Combine(Defdir, filename);
        // errors name the template relative to the repository, like every other file in an error
        var name = RootState is { } root && path.StartsWith(root.Environment.BaseDir + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Path.GetRelativePath(root.Environment.BaseDir, path)
            : path;
        return TemplateRenderer.Render(System.IO.File.ReadAllText(path), name, context ?? this, args);
    }

    /// <summary>Update needed when <paramref name="reference"/> is missing or older than any existing requirement.</summary>
    protected void AssertFileIsCurrent(string reference, IEnumerable<string>? requirements = null)
    {
        var refPath = Map(reference);
        if (!System.IO.File.Exists(refPath) && !System.IO.Directory.Exists(refPath))
            throw new UpdateNeeded($"{reference} does not exist");
        var refTime = System.IO.File.GetLastWriteTimeUtc(refPath);
        foreach (var requirement in requirements ?? [])
        {
            var path = Map(requirement);
            if ((System.IO.File.Exists(path) || System.IO.Directory.Exists(path)) && System.IO.File.GetLastWriteTimeUtc(path) > refTime)
                throw new UpdateNeeded($"{reference} is older than {requirement}");
        }
    }

    /// <summary>Update needed when any of <paramref name="requirements"/> changed after this component.</summary>
    protected void AssertComponentIsCurrent(params Component[] requirements)
    {
        var mine = LastUpdated() ?? throw new UpdateNeeded($"{Breadcrumb} has never been updated");
        foreach (var requirement in requirements)
            if (requirement.LastUpdated() is { } theirs && theirs > mine)
                throw new UpdateNeeded($"{requirement.Breadcrumb} is newer");
    }

    /// <summary>Update needed when a direct sub-component changed in this deployment.</summary>
    protected void AssertNoSubcomponentChanges()
    {
        if (_subComponents.FirstOrDefault(c => c.Changed) is { } changed)
            throw new UpdateNeeded($"sub-component {changed.Breadcrumb} changed");
    }

    /// <summary>Update needed when this component or a sub-component changed.</summary>
    protected void AssertNoChanges()
    {
        if (Changed) throw new UpdateNeeded("changed");
        AssertNoSubcomponentChanges();
    }

    /// <summary>A SHA-256 hex digest of <paramref name="data"/>.</summary>
    protected static string Checksum(string data) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data)));
}
