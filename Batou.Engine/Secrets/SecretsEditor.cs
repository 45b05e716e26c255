using System.Diagnostics;
using Batou.Engine.Api;

namespace Batou.Engine.Secrets;

/// <summary>
/// <c>batou secrets edit ENV [FILE]</c>: decrypts into a private temporary file, runs <c>$EDITOR</c>
/// on it and re-encrypts only when the text changed. When saving fails it offers to edit again,
/// to encrypt anyway (syntax errors only) or to quit; the old file is never damaged.
/// </summary>
internal sealed class SecretsEditor(TextReader input, TextWriter output, Action<BatouError> report)
{
    public int Edit(string baseDir, string environment, string? file)
    {
        using var _ = Execution.DeploymentLock.Acquire(baseDir);
        var store = SecretStore.Open(baseDir, environment);
        var main = file is null;
        if (!main && !store.Exists)
            throw SecretsErrors.Fail("NoSecretsFile", $"Environment `{environment}` has no secrets file yet", store.Display(store.Dir),
                ("Hint", $"create it first with `batou secrets edit {environment}` and list the members"));
        var path = main ? store.MainPath : store.PathOfFile(file!);
        var display = store.Display(path);
        string? original = File.Exists(path) ? (main ? store.ReadMain() : store.ReadFile(file!)) : null;
        using var temp = new PrivateTempDir();
        var editing = temp.Write(main ? "secrets.cfg" : Path.GetFileName(file!), original ?? (main ? SecretsText.NewFileTemplate : ""));
        while (true)
        {
            var code = RunEditor(editing);
            if (code != 0)
                throw SecretsErrors.Fail("EditorFailed", $"The editor exited with code {code}; nothing was saved", display,
                    ("Editor", EditorCommand), ("File", display));
            var edited = File.ReadAllText(editing);
            if (edited == original)
            {
                output.WriteLine($"No changes to {display}; nothing re-encrypted.");
                return 0;
            }
            try
            {
                var changed = main ? store.WriteMain(edited) : [store.WriteFile(file!, edited)];
                output.WriteLine($"Encrypted {display}. Changed (commit them): {string.Join(", ", changed)}");
                return 0;
            }
            catch (BatouException e)
            {
                foreach (var error in e.Errors) report(error);
                var canForce = main && store.Exists && store.Provider != SecretProviderKind.AgeDiffable && e.Errors.All(x => x.Kind == "ConfigSyntax");
                output.Write(canForce ? "(e)dit again, (f)orce: encrypt anyway, (q)uit? " : "(e)dit again, (q)uit? ");
                output.Flush();
                switch (input.ReadLine()?.Trim().ToLowerInvariant())
                {
                    case "e" or "edit":
                        continue;
                    case "f" or "force" when canForce:
                        var forced = store.WriteMainUnchecked(edited);
                        output.WriteLine($"Encrypted {display} as it is. Changed (commit them): {string.Join(", ", forced)}");
                        return 0;
                    default:
                        output.WriteLine($"Quit; {display} was not changed.");
                        return 1;
                }
            }
        }
    }

    private static string EditorCommand => System.Environment.GetEnvironmentVariable("EDITOR") is { Length: > 0 } e ? e : "vi";

    private static int RunEditor(string path)
    {
        // $EDITOR may carry arguments ("code --wait"): let the shell split it; the path is "$1", never the content
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", EditorCommand + " \"$1\"", "batou-secrets-edit", path }) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 127;
        }
    }
}
