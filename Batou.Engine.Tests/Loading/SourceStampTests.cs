using Batou.Engine.Api;
using Batou.Engine.Loading;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Loading;

/// <summary>
/// The stamp that spares reading and hashing unchanged component sources (issue #13): any change of the file set, a
/// size or a time means hashing again, and no stamp is written while a source is too fresh to be told apart by its time.
/// </summary>
public sealed class SourceStampTests : IDisposable
{
    private static readonly DateTime Old = DateTime.UtcNow.AddMinutes(-10);

    private readonly TestRepository _repo = new TestRepository()
        .Component("one", "public class One : Component { }")
        .Component("two", "public class Two : Component { }");

    private string CacheDir => _repo.Work(Path.Combine(".batou", "components"));

    private string[] Files()
    {
        string[] files = [_repo.PathOf("components/one/component.cs"), _repo.PathOf("components/two/component.cs")];
        foreach (var file in files) File.SetLastWriteTimeUtc(file, Old);
        return files;
    }

    private SourceState State(string[] files, string engine, string? packages) => SourceStamp.Describe(_repo.Root, files, engine, packages)!;

    [Fact]
    public void The_recorded_hash_comes_back_only_for_the_same_files_sizes_times_engine_and_packages()
    {
        var files = Files();
        SourceStamp.Write(CacheDir, "hash1", State(files, "engine", null));
        Assert.Equal("hash1", SourceStamp.Find(CacheDir, State(files, "engine", null)));

        Assert.Null(SourceStamp.Find(CacheDir, State(files, "another engine", null)));
        Assert.Null(SourceStamp.Find(CacheDir, State(files, "engine", "packages")));
        Assert.Null(SourceStamp.Find(CacheDir, State([files[0]], "engine", null)));

        File.SetLastWriteTimeUtc(files[1], Old.AddTicks(1));   // touched
        Assert.Null(SourceStamp.Find(CacheDir, State(files, "engine", null)));
        File.SetLastWriteTimeUtc(files[1], Old);
        Assert.Equal("hash1", SourceStamp.Find(CacheDir, State(files, "engine", null)));

        File.AppendAllText(files[0], "\n");   // written: size and time differ
        File.SetLastWriteTimeUtc(files[0], Old);
        Assert.Null(SourceStamp.Find(CacheDir, State(files, "engine", null)));
    }

    [Fact]
    public void No_stamp_is_written_while_a_source_changed_within_the_settle_time()
    {
        var files = Files();
        File.SetLastWriteTimeUtc(files[0], DateTime.UtcNow);
        SourceStamp.Write(CacheDir, "hash1", State(files, "engine", null));
        Assert.Null(SourceStamp.Find(CacheDir, State(files, "engine", null)));
        Assert.False(Directory.Exists(CacheDir) && Directory.GetFiles(CacheDir, "*.stamp").Length > 0);

        File.SetLastWriteTimeUtc(files[0], DateTime.UtcNow - SourceStamp.Settle - TimeSpan.FromSeconds(1));
        SourceStamp.Write(CacheDir, "hash1", State(files, "engine", null));
        Assert.Equal("hash1", SourceStamp.Find(CacheDir, State(files, "engine", null)));
    }

    [Fact]
    public void The_loader_uses_the_stamp_for_unchanged_sources_and_compiles_an_edit()
    {
        Files();
        var first = ComponentLoader.Load(_repo.Root, []);
        Assert.NotNull(first.AssemblyPath);
        var stamp = Path.ChangeExtension(first.AssemblyPath, ".stamp");
        Assert.True(File.Exists(stamp), "a stamp next to the compiled assembly");

        var again = ComponentLoader.Load(_repo.Root, []);
        Assert.Equal(first.AssemblyPath, again.AssemblyPath);
        Assert.True(again.FromCache);

        // an edit of the same length, its time set back to an old one that differs from the stamp's
        File.WriteAllText(_repo.PathOf("components/two/component.cs"), "public class Six : Component { }");
        File.SetLastWriteTimeUtc(_repo.PathOf("components/two/component.cs"), Old.AddSeconds(-5));
        var errors = new List<BatouError>();
        var edited = ComponentLoader.Load(_repo.Root, errors);
        Assert.Empty(errors);
        Assert.NotEqual(first.AssemblyPath, edited.AssemblyPath);
        Assert.Contains("six", edited.Definitions.Keys);
        Assert.DoesNotContain("two", edited.Definitions.Keys);
        Assert.False(File.Exists(stamp), "the old stamp went with the old assembly");
    }

    public void Dispose() => _repo.Dispose();
}
