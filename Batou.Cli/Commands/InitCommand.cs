using System.CommandLine;
using System.Diagnostics;
using Batou.Cli.Rendering;

namespace Batou.Cli.Commands;

/// <summary><c>batou init [DIR]</c>: a new deployment repository with a hello component and a local environment.</summary>
internal static class InitCommand
{
    private const string HelloComponent = """
        // A root component: its name in environments is the class name in lower case ("hello").
        // Public settable properties are settings: [component:hello] greeting = ... overrides them.
        public sealed class Hello : Component
        {
            public string Greeting { get; set; } = "Hello world";

            protected override void Configure()
            {
                // Relative paths live in work/hello/. The file is only written when its content differs.
                Add(new File("hello") { Content = Greeting + "\n" });
            }
        }

        """;

    private const string LocalEnvironment = """
        [environment]
        connect_method = local

        [hosts]
        localhost = hello

        [component:hello]
        greeting = Hello from batou

        """;

    private const string GitIgnore = """
        work/
        .batou-lock

        """;

    public static Command Create()
    {
        var directory = new Argument<string?>("directory") { Description = "Where to create the repository (default: the current directory).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("init", "Create a new deployment repository with a hello component and a local environment.") { directory };
        command.SetAction(result =>
        {
            var console = new ConsoleWriter(Console.Out);
            var target = Path.GetFullPath(result.GetValue(directory) ?? ".");
            if (Directory.Exists(Path.Combine(target, "components")) || Directory.Exists(Path.Combine(target, "environments")))
            {
                console.Error($"{target} already holds a deployment repository (components/ or environments/ exist); nothing was changed.");
                return 1;
            }
            Write(target, "components/hello/component.cs", HelloComponent);
            Write(target, "environments/local/environment.cfg", LocalEnvironment);
            Write(target, ".gitignore", GitIgnore);
            console.Line($"Created a deployment repository in {target}");
            if (Git(target, "init", "-q") && Git(target, "add", "."))
            {
                var committed = Git(target, "commit", "-q", "-m", "New deployment repository (batou init)");
                console.Line(committed ? "Initialised git and committed the files." : "Initialised git and staged the files (commit them when your git identity is set).");
            }
            else
            {
                console.Warn("git is not available: the repository is not under version control yet.");
            }
            console.Line();
            console.Line("Next:");
            console.Line($"  cd {target}");
            console.Line("  batou deploy local");
            return 0;
        });
        return command;
    }

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path)) File.WriteAllText(path, content);
    }

    private static bool Git(string dir, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
