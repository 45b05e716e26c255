using Batou.Engine.Loading;

namespace Batou.Engine.Tests.Loading;

/// <summary>The per-user cache of compiled components, shared by checkouts of the same sources (issue #13).</summary>
public sealed class UserCompileCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batou-usercache-").FullName;

    private string Cache => Path.Combine(_dir, "cache");

    private (string Dll, string Pdb) Compiled(string checkout, string hash, string text)
    {
        var dll = Path.Combine(_dir, checkout, "work", ".batou", "components", hash + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        File.WriteAllText(dll, "pe " + text);
        File.WriteAllText(Path.ChangeExtension(dll, ".pdb"), "pdb " + text);
        return (dll, Path.ChangeExtension(dll, ".pdb"));
    }

    [Fact]
    public void A_second_checkout_gets_the_assembly_and_pdb_the_first_one_compiled()
    {
        var cache = new UserCompileCache(Cache);
        var (dll, pdb) = Compiled("one", "abc", "first");
        var other = Path.Combine(_dir, "two", "work", ".batou", "components", "abc.dll");
        Assert.False(cache.TryRestore("abc", other, Path.ChangeExtension(other, ".pdb")));

        cache.Store("abc", dll, pdb);
        Assert.True(cache.TryRestore("abc", other, Path.ChangeExtension(other, ".pdb")));
        Assert.Equal("pe first", File.ReadAllText(other));
        Assert.Equal("pdb first", File.ReadAllText(Path.ChangeExtension(other, ".pdb")));
        Assert.False(cache.TryRestore("other-hash", other, Path.ChangeExtension(other, ".pdb")));
    }

    [Fact]
    public void Without_a_directory_nothing_is_stored_or_restored()
    {
        var cache = new UserCompileCache(null);
        var (dll, pdb) = Compiled("one", "abc", "first");
        cache.Store("abc", dll, pdb);
        Assert.False(cache.TryRestore("abc", dll + ".copy", pdb + ".copy"));
        Assert.False(Directory.Exists(Cache));
    }

    [Fact]
    public void The_cache_keeps_only_the_most_recently_stored_assemblies()
    {
        var cache = new UserCompileCache(Cache);
        for (var i = 0; i < UserCompileCache.Keep + 3; i++)
        {
            var (dll, pdb) = Compiled("one", $"h{i:000}", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            cache.Store($"h{i:000}", dll, pdb);
            File.SetLastWriteTimeUtc(Path.Combine(Cache, $"h{i:000}.dll"), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i));
        }
        Assert.Equal(UserCompileCache.Keep, Directory.GetFiles(Cache, "*.dll").Length);
        Assert.Equal(UserCompileCache.Keep, Directory.GetFiles(Cache, "*.pdb").Length);
        Assert.False(File.Exists(Path.Combine(Cache, "h000.dll")));
        Assert.True(File.Exists(Path.Combine(Cache, $"h{UserCompileCache.Keep + 2:000}.dll")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
