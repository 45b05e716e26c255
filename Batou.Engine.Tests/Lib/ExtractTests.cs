using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

public sealed class ExtractTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private DeploymentResult Deploy(string body, Engine.Api.DeploymentMode mode = Engine.Api.DeploymentMode.Deploy)
    {
        _repo.Component("unpacker", $$"""
            public class Unpacker : Component
            {
                protected override void Configure()
                {
                    {{body}}
                }
            }
            """).LocalEnvironment("unpacker");
        return _repo.Deploy(mode: mode);
    }

    private string Work(string relative = "") => _repo.Work("unpacker/" + relative);

    private static readonly (string Name, string? Content)[] s_example =
    [
        ("foo/", null),
        ("foo/bar/", null),
        ("foo/bar/qux", "qux content\n"),
        ("foo/bar/baz.txt", "baz\n"),
    ];

    /// <summary>Writes an archive in the workdir; bz2/xz through the tar program, the others natively.</summary>
    private string MakeArchive(string fileName, IEnumerable<(string Name, string? Content)> entries)
    {
        Directory.CreateDirectory(Work());
        var path = Work(fileName);
        if (fileName.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name);
                if (content is null) continue;
                using var writer = new StreamWriter(entry.Open());
                writer.Write(content);
            }
            return path;
        }
        if (fileName.EndsWith(".bz2", StringComparison.Ordinal) || fileName.EndsWith(".xz", StringComparison.Ordinal))
        {
            var staging = Path.Combine(_repo.Root, "staging-" + Guid.NewGuid().ToString("N")[..6]);
            foreach (var (name, content) in entries)
            {
                var full = Path.Combine(staging, name);
                if (content is null) Directory.CreateDirectory(full);
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                    File.WriteAllText(full, content);
                }
            }
            var top = entries.Select(e => e.Name.Split('/')[0]).Distinct().ToArray();
            Run("tar", [fileName.EndsWith(".bz2", StringComparison.Ordinal) ? "-cjf" : "-cJf", path, "-C", staging, .. top]);
            return path;
        }
        using (var file = File.Create(path))
        using (Stream stream = fileName.EndsWith(".tar", StringComparison.Ordinal) ? file : new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax))
            foreach (var (name, content) in entries)
                tar.WriteEntry(TarEntry(name, content));
        return path;
    }

    private static PaxTarEntry TarEntry(string name, string? content)
    {
        if (content is null) return new PaxTarEntry(TarEntryType.Directory, name);
        return new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            ModificationTime = DateTimeOffset.UtcNow.AddYears(-3),
        };
    }

    private static void Run(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {stderr}");
    }

    private static IReadOnlyList<string> Listing(string directory) =>
        Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    [Fact]
    public void Tar_gz_is_extracted_into_a_directory_named_after_it_and_a_second_deploy_changes_nothing()
    {
        MakeArchive("example.tar.gz", s_example);

        var first = Deploy("""Add(new Extract("example.tar.gz"));""");
        Assert.True(first.Success, first.ToString());
        Assert.Equal(["Unpacker > Extract('example.tar.gz')"], first.Updated);
        Assert.Equal(["foo"], Listing(Work("example")));
        Assert.Equal("qux content\n", File.ReadAllText(Work("example/foo/bar/qux")));
        var mtime = File.GetLastWriteTimeUtc(Work("example/foo/bar/qux"));
        Assert.True(mtime >= File.GetLastWriteTimeUtc(Work("example.tar.gz")), "extracted files carry the extraction time");

        var second = Deploy("""Add(new Extract("example.tar.gz"));""");
        Assert.True(second.Success, second.ToString());
        Assert.Empty(second.Updated);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Work("example/foo/bar/qux")));
    }

    [Theory]
    [InlineData("example.tar.gz", "example")]
    [InlineData("example.tgz", "example")]
    [InlineData("example.tar", "example")]
    [InlineData("example.zip", "example")]
    [InlineData("example.tar.bz2", "example")]
    [InlineData("example.tar.xz", "example")]
    public void Strip_1_lists_bar_instead_of_foo_for_every_format(string archive, string target)
    {
        MakeArchive(archive, s_example);

        var result = Deploy($$"""Add(new Extract("{{archive}}") { Strip = 1 });""");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["bar"], Listing(Work(target)));
        Assert.Equal(["baz.txt", "qux"], Listing(Work(target + "/bar")));
        Assert.Equal("baz\n", File.ReadAllText(Work(target + "/bar/baz.txt")));

        var again = Deploy($$"""Add(new Extract("{{archive}}") { Strip = 1 });""");
        Assert.True(again.Success, again.ToString());
        Assert.Empty(again.Updated);
    }

    [Theory]
    [InlineData("example.zip")]
    [InlineData("example.tar.xz")]
    public void Without_strip_the_top_directory_is_kept(string archive)
    {
        MakeArchive(archive, s_example);
        var result = Deploy($$"""Add(new Extract("{{archive}}"));""");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["foo"], Listing(Work("example")));
    }

    [Fact]
    public void Target_and_create_target_dir_false_choose_where_to_extract()
    {
        MakeArchive("example.tar.gz", s_example);

        var result = Deploy("""
            Add(new Extract("example.tar.gz") { Target = "custom/place" });
            Add(new Extract("example.tar.gz") { CreateTargetDir = false, Strip = 2 });
            """);
        Assert.True(result.Success, result.ToString());
        Assert.True(File.Exists(Work("custom/place/foo/bar/qux")));
        Assert.Equal("qux content\n", File.ReadAllText(Work("qux")));
        Assert.False(Directory.Exists(Work("example")));
    }

    [Fact]
    public void A_missing_or_outdated_member_is_extracted_again()
    {
        MakeArchive("example.tar.gz", s_example);
        Assert.True(Deploy("""Add(new Extract("example.tar.gz"));""").Success);

        File.Delete(Work("example/foo/bar/baz.txt"));
        var missing = Deploy("""Add(new Extract("example.tar.gz"));""");
        Assert.Contains(missing.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason == "foo/bar/baz.txt is missing");
        Assert.Equal("baz\n", File.ReadAllText(Work("example/foo/bar/baz.txt")));

        File.SetLastWriteTimeUtc(Work("example.tar.gz"), DateTime.UtcNow.AddHours(1));
        var newer = Deploy("""Add(new Extract("example.tar.gz"));""");
        Assert.Contains(newer.Of<Engine.Api.ComponentNeedsUpdate>(), e => e.Reason.EndsWith("is older than the archive", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_archive_predicts_a_change_but_fails_a_real_deployment()
    {
        var predicted = Deploy("""Add(new Extract("later.tar.gz"));""", Engine.Api.DeploymentMode.Predict);
        Assert.True(predicted.Success, predicted.ToString());
        Assert.Equal(["Unpacker > Extract('later.tar.gz')"], predicted.Updated);

        var deployed = Deploy("""Add(new Extract("later.tar.gz"));""");
        Assert.False(deployed.Success);
        var error = deployed.Error("ComponentFailed");
        Assert.Contains("later.tar.gz does not exist", error.Message);
    }

    [Fact]
    public void An_unknown_extension_is_a_configuration_error_naming_the_file()
    {
        var result = Deploy("""Add(new Extract("example.rar"));""");
        Assert.False(result.Success);
        var error = result.Error("ConfigurationError");
        Assert.Contains("\"example.rar\"", error.Message);
        Assert.Contains("unknown archive type", error.Message);
    }

    [Theory]
    [InlineData("escape.tar.gz", "../outside.txt")]
    [InlineData("escape.tar", "foo/../../outside.txt")]
    [InlineData("absolute.tar.gz", "/tmp/batou-absolute-member.txt")]
    [InlineData("escape.zip", "../outside.txt")]
    public void Members_escaping_the_target_are_refused(string archive, string member)
    {
        MakeArchive(archive, [("ok.txt", "fine\n"), (member, "evil\n")]);

        var result = Deploy($$"""Add(new Extract("{{archive}}"));""");
        Assert.False(result.Success);
        Assert.Contains("refusing", result.Error("ComponentFailed").Message);
        Assert.False(File.Exists(Work("outside.txt")));
        Assert.False(File.Exists(_repo.Work("outside.txt")));
    }

    [Fact]
    public void A_member_written_through_a_symbolic_link_is_refused()
    {
        var outside = Path.Combine(_repo.Root, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(Work());
        using (var file = File.Create(Work("sneaky.tar")))
        using (var tar = new TarWriter(file, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = outside });
            tar.WriteEntry(TarEntry("link/evil.txt", "evil\n"));
        }

        var result = Deploy("""Add(new Extract("sneaky.tar"));""");
        Assert.False(result.Success);
        Assert.Contains("refusing", result.Error("ComponentFailed").Message);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public void Relative_symbolic_links_inside_the_target_are_extracted()
    {
        Directory.CreateDirectory(Work());
        using (var file = File.Create(Work("links.tar")))
        using (var tar = new TarWriter(file, TarEntryFormat.Pax))
        {
            tar.WriteEntry(TarEntry("data/real.txt", "real\n"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "data/alias.txt") { LinkName = "real.txt" });
        }

        var result = Deploy("""Add(new Extract("links.tar"));""");
        Assert.True(result.Success, result.ToString());
        Assert.Equal("real.txt", new FileInfo(Work("links/data/alias.txt")).LinkTarget);
        Assert.Equal("real\n", File.ReadAllText(Work("links/data/alias.txt")));
        Assert.Empty(Deploy("""Add(new Extract("links.tar"));""").Updated);
    }

    [Fact]
    public void A_negative_strip_is_a_configuration_error()
    {
        var result = Deploy("""Add(new Extract("example.tar.gz") { Strip = -1 });""");
        Assert.Contains("Strip must not be negative", result.Error("ConfigurationError").Message);
    }

    public void Dispose() => _repo.Dispose();
}
