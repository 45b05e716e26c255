using Batou.Engine.Loading;

namespace Batou.Engine.Tests.Loading;

/// <summary>
/// A checkout's component cache keeps one source state. Two processes compiling the same checkout at
/// once (the dashboard's engines, two CLI runs) must not delete each other's half-written files: a
/// describe failed in CI when its writer's rename found its temporary file pruned.
/// </summary>
public sealed class ComponentCachePruneTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batou-prune-").FullName;

    private string Touch(string name, TimeSpan age)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, name);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public void Old_states_go_the_kept_state_and_a_writer_s_fresh_temporary_file_stay()
    {
        var kept = Touch("new.dll", TimeSpan.Zero);
        var keptPdb = Touch("new.pdb", TimeSpan.Zero);
        var old = Touch("old.dll", TimeSpan.FromDays(1));
        var oldStamp = Touch("old.stamp", TimeSpan.Zero);
        var writing = Touch(".other.dll.batou-tmp-0123", TimeSpan.FromSeconds(1));
        var leftOver = Touch(".older.dll.batou-tmp-4567", ComponentLoader.StaleTemporary + TimeSpan.FromMinutes(1));

        ComponentLoader.Prune(_dir, "new");

        Assert.True(File.Exists(kept) && File.Exists(keptPdb), "the kept state was deleted");
        Assert.True(File.Exists(writing), "another process's temporary file was deleted while it could still be written");
        Assert.False(File.Exists(old), "an old state stayed");
        Assert.False(File.Exists(oldStamp), "an old stamp stayed");
        Assert.False(File.Exists(leftOver), "a temporary file of a killed run stayed forever");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
