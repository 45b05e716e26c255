using System.Diagnostics;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>Verify and predict read the real dpkg database; installing goes through the command seam (a logging command).</summary>
public sealed class AptPackagesTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private static string InstalledVersion(string package)
    {
        using var process = Process.Start(new ProcessStartInfo("dpkg-query", ["-W", "-f=${Version}", package]) { RedirectStandardOutput = true })!;
        var version = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return version;
    }

    private DeploymentResult Deploy(string packages, Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("base", $$"""
            public class Base : Component
            {
                protected override void Configure() => Add(new AptPackages { Packages = [{{packages}}], InstallCommand = "echo >> installs.log" });
            }
            """).LocalEnvironment("base");
        return _repo.Deploy(mode: mode);
    }

    private string Installs => File.Exists(_repo.Work("base/installs.log")) ? File.ReadAllText(_repo.Work("base/installs.log")) : "";

    [Fact]
    public void Installed_packages_and_pinned_versions_are_up_to_date()
    {
        var result = Deploy($"\"git\", \"tar={InstalledVersion("tar")}\"");
        Assert.True(result.Success, result.ToString());
        Assert.Empty(result.Updated);
        Assert.Equal("", Installs);
    }

    [Fact]
    public void Predicting_names_missing_and_different_packages_and_installs_nothing()
    {
        var result = Deploy("\"git\", \"batou-no-such-package\", \"tar=0.0-1\"", Engine.Api.DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        var reason = Assert.Single(result.Of<Engine.Api.ComponentNeedsUpdate>()).Reason;
        Assert.Equal($"batou-no-such-package is not installed; tar is {InstalledVersion("tar")}, wanted 0.0-1", reason);
        Assert.Equal("", Installs);
    }

    [Fact]
    public void Only_the_missing_packages_are_handed_to_the_install_command()
    {
        var result = Deploy("\"git\", \"batou-no-such-package\", \"tar=0.0-1\"");
        Assert.True(result.Success, result.ToString());
        Assert.Equal("batou-no-such-package tar=0.0-1\n", Installs);   // the seam got exactly the two, as separate words
    }

    [Fact]
    public void A_bad_package_name_is_a_configuration_error()
    {
        var message = Deploy("\"Bad Name\"").Error("ConfigurationError").Message;
        Assert.Contains("\"Bad Name\" is not a Debian package name", message);
    }

    public void Dispose() => _repo.Dispose();
}
