using System.Diagnostics;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

/// <summary>
/// Components reused across repositories: <c>examples/greeting-components</c> is packed with
/// <c>dotnet pack</c> into a local folder feed, <c>examples/greetings</c> lists it in
/// <c>components/packages.txt</c> and deploys its components as a root and as a sub-component.
/// </summary>
public sealed class ComponentPackageTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly string _library = Path.Combine(Path.GetTempPath(), "batou-complib-" + Guid.NewGuid().ToString("N")[..12]);
    /// <summary>A version of its own per run: NuGet's global cache never serves a package packed by an earlier run.</summary>
    private readonly string _version = "1.0.0-t" + Guid.NewGuid().ToString("N")[..10];

    private static string Examples => Path.Combine(SshHosts.RepoRoot(), "examples");

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split('/')[0] is "bin" or "obj" or "work" or "feed") continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    /// <summary>Packs the example library (against this build's engine) into the repository's feed/.</summary>
    private void Pack() => PackExample(_library, _repo.PathOf("feed"), _version);

    /// <summary>Copies <c>examples/greeting-components</c> to <paramref name="library"/> and packs it into <paramref name="feed"/>.</summary>
    internal static void PackExample(string library, string feed, string version)
    {
        Copy(Path.Combine(Examples, "greeting-components"), library);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = library };
        foreach (var a in new[] { "pack", "-nologo", "-v:q", "-c", "Release", "-o", feed, $"-p:Version={version}",
                     $"-p:BatouEngine={typeof(Component).Assembly.Location}" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "dotnet pack did not finish");
        Assert.True(process.ExitCode == 0, output.Result + errors.Result);
        Assert.True(File.Exists(Path.Combine(feed, $"Acme.Batou.Greetings.{version}.nupkg")));
    }

    /// <summary>Copies <c>examples/greetings</c> into <paramref name="repo"/>, asking for <paramref name="version"/> of the package.</summary>
    internal static void UseExampleRepository(TestRepository repo, string version)
    {
        Copy(Path.Combine(Examples, "greetings"), repo.Root);
        repo.Write("components/packages.txt", repo.Read("components/packages.txt").Replace(" 1.0.0 ", $" {version} ", StringComparison.Ordinal));
    }

    private void UseExampleRepository() => UseExampleRepository(_repo, _version);

    [Fact]
    public void A_packed_component_library_deploys_as_root_and_sub_component_with_its_own_templates()
    {
        UseExampleRepository();
        Pack();

        var (code, output, stderr) = Fixtures.Cli.Run(_repo.Root, "deploy", "local");

        Assert.True(code == 0, output + stderr);
        Assert.Equal("Hello team, greetings from localhost (a template of the Acme.Batou.Greetings package).\n", _repo.Read("work/greeting/greeting.txt"));
        Assert.Equal("*** reuse across repositories ***\n", _repo.Read("work/site/banner.txt"));
        Assert.Equal("Welcome to localhost\n", _repo.Read("work/site/index.txt"));
        var restored = Assert.Single(Directory.GetDirectories(_repo.Work(".batou/packages")));
        Assert.True(File.Exists(Path.Combine(restored, "Acme.Batou.Greetings.dll")));
        Assert.False(File.Exists(Path.Combine(restored, "Batou.Engine.dll")), "the package must not bring its own engine");

        var (again, second, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "local");
        Assert.Equal(0, again);
        Assert.DoesNotContain("🚀", second);
        Assert.Single(Directory.GetDirectories(_repo.Work(".batou/packages")));   // restored once
    }

    [Fact]
    public void A_package_that_does_not_exist_is_an_error_naming_the_line()
    {
        UseExampleRepository();
        _repo.Write("components/packages.txt", "# packages\n\nAcme.Batou.DoesNotExist.Anywhere 9.9.9 components\n")
            .Write("environments/local/environment.cfg", "[environment]\nconnect_method = local\n[hosts]\nlocalhost = site\n")
            .Write("components/site/component.cs", "public sealed class Site : Component { }");
        Directory.CreateDirectory(_repo.PathOf("feed"));   // the example's nuget.config names it; empty, so the package is missing

        var (code, output, _) = Fixtures.Cli.Run(_repo.Root, "deploy", "local");

        Assert.Equal(1, code);
        Assert.Contains("Package `Acme.Batou.DoesNotExist.Anywhere 9.9.9` was not found", output);
        Assert.Contains("components/packages.txt:3", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void A_package_marked_components_without_any_component_is_an_error_naming_the_line()
    {
        _repo.Write("components/packages.txt", "Microsoft.Data.Sqlite 10.0.14 components\n")
            .Component("hello", "public sealed class Hello : Component { }")
            .LocalEnvironment("hello");

        var result = _repo.Deploy();

        var error = result.Error("PackageWithoutComponents");
        Assert.Equal("components/packages.txt", error.File);
        Assert.Equal(1, error.Line);
        Assert.Contains("Microsoft.Data.Sqlite", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _repo.Dispose();
        if (Directory.Exists(_library)) Directory.Delete(_library, recursive: true);
    }
}
