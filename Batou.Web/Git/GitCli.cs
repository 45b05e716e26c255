using System.Diagnostics;

namespace Batou.Web.Git;

public sealed class GitException(string message) : Exception(message);

/// <summary>The git command line, with argument lists (no shell) and no prompts.</summary>
internal static class GitCli
{
    public static async Task<string> RunAsync(string? directory, IEnumerable<string> args, CancellationToken ct = default, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (directory is not null) psi.WorkingDirectory = directory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";
        psi.Environment["LC_ALL"] = "C";
        using var process = Process.Start(psi) ?? throw new GitException("git could not be started");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new GitException($"git {string.Join(' ', psi.ArgumentList.Take(2))} timed out");
        }
        var output = await stdout;
        if (process.ExitCode != 0)
            throw new GitException((await stderr).Trim() is { Length: > 0 } e ? e : $"git exited with {process.ExitCode}");
        return output;
    }

    /// <summary>Extracts <paramref name="treeish"/> into <paramref name="target"/> with <c>git archive | tar -x</c>.</summary>
    public static async Task ArchiveAsync(string gitDir, string treeish, string target, CancellationToken ct = default)
    {
        Directory.CreateDirectory(target);
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("set -e; git --git-dir=\"$1\" archive --format=tar \"$2\" | tar -x -C \"$3\"");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(gitDir);
        psi.ArgumentList.Add(treeish);
        psi.ArgumentList.Add(target);
        using var process = Process.Start(psi) ?? throw new GitException("sh could not be started");
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new GitException(stderr.Trim());
    }
}
