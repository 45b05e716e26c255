using Batou.Engine.Loading;

namespace Batou.Engine.Tests.Loading;

/// <summary>
/// Restored component packages are put in place by a rename that carries their completion marker. Two processes that
/// restore the same packages at once must not pull the directory from under each other: the first one's directory
/// stays (the other may be compiling against it), the later copy is dropped.
/// </summary>
public sealed class PackageInstallTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batou-pkg-install-").FullName;

    private string Restore(string name, string content, bool complete = true)
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Lib.dll"), content);
        if (complete) File.WriteAllText(Path.Combine(dir, ".restored"), "Lib 1.0.0\n");
        return dir;
    }

    private string Target => Path.Combine(_dir, "packages", "abc");

    [Fact]
    public void The_first_restore_is_moved_into_place()
    {
        var staging = Restore("first", "first");
        PackageRestorer.Install(staging, Target);
        Assert.Equal("first", File.ReadAllText(Path.Combine(Target, "Lib.dll")));
        Assert.True(File.Exists(Path.Combine(Target, ".restored")));
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void A_second_restore_of_the_same_packages_keeps_the_first_ones_directory_and_drops_its_own()
    {
        PackageRestorer.Install(Restore("first", "first"), Target);
        var inUse = new FileInfo(Path.Combine(Target, "Lib.dll"));
        var later = Restore("second", "second");

        PackageRestorer.Install(later, Target);

        Assert.Equal("first", File.ReadAllText(inUse.FullName));
        Assert.Equal(inUse.LastWriteTimeUtc, File.GetLastWriteTimeUtc(inUse.FullName));
        Assert.False(Directory.Exists(later), "the later copy was left behind");
    }

    [Fact]
    public void A_directory_without_the_marker_is_a_leftover_and_is_replaced()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Target)!);
        Directory.Move(Restore("leftover", "half", complete: false), Target);

        PackageRestorer.Install(Restore("fresh", "fresh"), Target);

        Assert.Equal("fresh", File.ReadAllText(Path.Combine(Target, "Lib.dll")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
