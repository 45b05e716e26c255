using System.Diagnostics;

namespace Batou.Engine.Tests.Secrets;

/// <summary>Runs the real <c>batou</c> CLI with a chosen environment and stdin (the shared fixture has neither).</summary>
public static class SecretsCli
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string dir, IReadOnlyDictionary<string, string?>? env, string? stdin, params string[] args)
    {
        var keys = SecretsKeys.Get();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        info.ArgumentList.Add(Fixtures.Cli.BatouDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["BATOU_AGE_IDENTITIES"] = $"{keys.AgeIdentity},{keys.SshPrivate}";
        info.Environment["GNUPGHOME"] = keys.GnupgHome;
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
            if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;
        using var process = Process.Start(info)!;
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(true);
            throw new TimeoutException("batou " + string.Join(' ', args) + " did not finish");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>An <c>$EDITOR</c> that replaces the file with <paramref name="content"/> (or exits with <paramref name="exitCode"/>).</summary>
    public static string Editor(string dir, string content, int exitCode = 0)
    {
        var source = Path.Combine(dir, "editor-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(source + ".txt", content);
        File.WriteAllText(source + ".sh", $"#!/bin/sh\ncat '{source}.txt' > \"$1\"\nexit {exitCode}\n");
        File.SetUnixFileMode(source + ".sh", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return source + ".sh";
    }
}
