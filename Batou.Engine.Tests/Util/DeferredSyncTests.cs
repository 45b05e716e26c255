using System.Diagnostics;
using Batou.Engine.Tests.Fixtures;
using Batou.Engine.Util;

namespace Batou.Engine.Tests.Util;

/// <summary>
/// Files a root writes are made durable together when the root ends: one syncfs per file system, not an
/// fsync per file (each waited for its own journal commit).
/// </summary>
public sealed class DeferredSyncTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batou-deferredsync-").FullName;
    private readonly TestRepository _repo = new();

    [Fact]
    public void One_sync_per_file_system()
    {
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(_dir, $"f{i}")).ToList();
        foreach (var f in files) Assert.True(AtomicFile.WriteDeferred(f, "content"u8));
        var expected = 1;
        var shm = "/dev/shm";
        if (Directory.Exists(shm) && new DriveInfo(shm).DriveFormat != new DriveInfo(_dir).DriveFormat)
        {
            var other = Path.Combine(shm, $"batou-deferredsync-{Guid.NewGuid():N}");
            File.WriteAllText(other, "x");
            files.Add(other);
            expected = 2;
        }
        try
        {
            Assert.Equal(expected, DeferredSync.Flush(files));
            Assert.All(files.Take(3), f => Assert.Equal("content", File.ReadAllText(f)));
        }
        finally
        {
            if (expected == 2) File.Delete(files[^1]);
        }
    }

    [Fact]
    public void A_file_removed_since_is_skipped()
    {
        var kept = Path.Combine(_dir, "kept");
        var gone = Path.Combine(_dir, "gone");
        AtomicFile.WriteDeferred(kept, "a"u8);
        AtomicFile.WriteDeferred(gone, "b"u8);
        File.Delete(gone);

        Assert.Equal(1, DeferredSync.Flush([gone, kept]));
        Assert.Equal(0, DeferredSync.Flush([gone]));
        Assert.Equal(0, DeferredSync.Flush([]));
    }

    [Fact]
    public async Task A_deployment_syncs_its_file_systems_instead_of_each_file()
    {
        const int count = 40;
        var adds = string.Join("\n", Enumerable.Range(0, count).Select(i => $"        Add(new File(\"f{i:00}.txt\") {{ Content = \"file {i}\\n\" }});"));
        _repo.Component("many", $$"""
            public class Many : Component
            {
                protected override void Configure()
                {
            {{adds}}
                }
            }
            """).LocalEnvironment("many");
        Assert.Equal(0, Fixtures.Cli.Run(_repo.Root, "deploy", "test").ExitCode);   // compiled, files in place
        Directory.Delete(_repo.Work("many"), recursive: true);

        var trace = Path.Combine(_dir, "strace.log");
        var info = new ProcessStartInfo("strace") { WorkingDirectory = _repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "-e", "trace=fsync,fdatasync,syncfs,sync", "-o", trace, "dotnet", Fixtures.Cli.BatouDll, "deploy", "test" })
            info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "batou under strace did not finish");
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, await stdout);

        var calls = File.ReadAllLines(trace);
        Assert.Equal(count, Directory.GetFiles(_repo.Work("many"), "f*.txt").Length);
        Assert.Contains(calls, l => l.Contains("syncfs(", StringComparison.Ordinal) && l.TrimEnd().EndsWith("= 0", StringComparison.Ordinal));
        var fsyncs = calls.Count(l => l.Contains("fsync(", StringComparison.Ordinal) || l.Contains("fdatasync(", StringComparison.Ordinal));
        Assert.True(fsyncs < count / 4, $"{fsyncs} fsync calls for {count} files:\n{string.Join('\n', calls)}");
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        _repo.Dispose();
    }
}
