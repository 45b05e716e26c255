using Batou.Engine.Util;

namespace Batou.Engine.Tests.Util;

/// <summary>The no-op's content check: null for the same bytes, the file's bytes otherwise (as the plain read gave them).</summary>
public sealed class FileCompareTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batou-filecompare-").FullName;

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void The_same_bytes_are_no_difference()
    {
        var path = Write("same", "root 1 file 2\n"u8.ToArray());
        Assert.Null(FileCompare.ReadIfDifferent(path, "root 1 file 2\n"u8));
    }

    [Fact]
    public void Other_bytes_of_the_same_size_or_another_size_come_back_whole()
    {
        var path = Write("other", "root 1 file 3\n"u8.ToArray());
        Assert.Equal("root 1 file 3\n"u8.ToArray(), FileCompare.ReadIfDifferent(path, "root 1 file 2\n"u8));
        Assert.Equal("root 1 file 3\n"u8.ToArray(), FileCompare.ReadIfDifferent(path, "root 1 file 3\n\n"u8));
        Assert.Equal("root 1 file 3\n"u8.ToArray(), FileCompare.ReadIfDifferent(path, "root 1 file 3"u8));
    }

    [Fact]
    public void Files_larger_than_a_chunk_are_compared_to_the_last_byte()
    {
        var wanted = new byte[200_000];
        new Random(13).NextBytes(wanted);
        var path = Write("large", wanted);
        Assert.Null(FileCompare.ReadIfDifferent(path, wanted));
        var changed = (byte[])wanted.Clone();
        changed[^1] ^= 0xff;
        Assert.Equal(wanted, FileCompare.ReadIfDifferent(path, changed));
    }

    [Fact]
    public void A_missing_file_or_a_directory_reads_as_empty()
    {
        var missing = Path.Combine(_dir, "missing");
        Assert.Equal(Array.Empty<byte>(), FileCompare.ReadIfDifferent(missing, "x"u8));
        Assert.Null(FileCompare.ReadIfDifferent(missing, []));   // as before: nothing wanted, nothing there
        Assert.Equal(Array.Empty<byte>(), FileCompare.ReadIfDifferent(Path.Combine(_dir, "no", "such", "dir"), "x"u8));
        Assert.Equal(Array.Empty<byte>(), FileCompare.ReadIfDifferent(_dir, "x"u8));
        Assert.Null(FileCompare.ReadIfDifferent(Write("empty", []), []));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
