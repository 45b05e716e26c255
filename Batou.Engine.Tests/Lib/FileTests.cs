using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Lib;

/// <summary>File, Presence, Content, Mode, Symlink and Directory: batou's §9 #48–#53 and the diff rules.</summary>
public sealed class FileTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private DeploymentResult DeployWith(string configure, string extra = "")
    {
        _repo.Component("files", $$"""
            public sealed class Files : Component
            {
                public string Text { get; set; } = "one";
                protected override void Configure()
                {
                    {{configure}}
                }
            }
            """).LocalEnvironment("files", extra);
        return _repo.Deploy();
    }

    [Fact]
    public void Content_is_rewritten_only_when_it_differs()
    {
        var first = DeployWith("Add(new File(\"a.txt\") { Content = Text });");
        Assert.True(first.Success, first.ToString());
        var path = _repo.Work("files/a.txt");
        File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var second = _repo.Deploy();
        Assert.Empty(second.Updated);
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(path));

        File.WriteAllText(path, "tampered");
        var third = _repo.Deploy();
        Assert.Contains("Files > File('work/files/a.txt') > Content('a.txt')", third.Updated);
        var diff = third.Of<FileDiff>().Single();
        Assert.Equal(["---", "+++", "@@ -1 +1 @@", "-tampered", "+one"], diff.Lines);
        Assert.Equal("one", File.ReadAllText(path));
    }

    [Fact]
    public void A_long_diff_is_cut_and_the_full_diff_kept_in_a_private_file()
    {
        var result = DeployWith("Add(new File(\"long.txt\") { Content = string.Join(\"\\n\", Enumerable.Range(0, 300)) + \"\\n\" });");
        var diff = result.Of<FileDiff>().Single();
        Assert.Equal("More than 200 lines of diff. Showing first and last 50 lines.", diff.Notice);
        Assert.Equal(101, diff.Lines.Count);
        Assert.Equal("...", diff.Lines[50]);
        Assert.NotNull(diff.FullDiffPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(diff.FullDiffPath!));
        Assert.Contains("+299", File.ReadAllText(diff.FullDiffPath!));
    }

    [Fact]
    public void Sensitive_content_never_shows_a_diff()
    {
        var result = DeployWith("Add(new File(\"secret.txt\") { Content = \"hunter2\", SensitiveData = true });");
        var diff = result.Of<FileDiff>().Single();
        Assert.Empty(diff.Lines);
        Assert.Equal("Not showing diff as it contains sensitive data.", diff.Notice);
        Assert.DoesNotContain("hunter2", string.Join("\n", result.Events.Select(EventJson.Serialize)));
    }

    [Fact]
    public void Binary_files_are_written_without_a_diff()
    {
        _repo.Write("components/files/logo.bin", "\u0001\u0002binary");
        var result = DeployWith("Add(new BinaryFile(\"logo.bin\"));");
        Assert.True(result.Success, result.ToString());
        Assert.Equal("Not showing diff for binary data.", result.Of<FileDiff>().Single().Notice);
        Assert.Equal("\u0001\u0002binary", File.ReadAllText(_repo.Work("files/logo.bin")));
    }

    [Fact]
    public void Presence_replaces_a_directory_and_empty_content_leaves_existing_text()
    {
        Directory.CreateDirectory(_repo.Work("files/placeholder/sub"));
        var result = DeployWith("Add(new File(\"placeholder\") { Content = \"\" });");
        Assert.True(result.Success, result.ToString());
        Assert.True(File.Exists(_repo.Work("files/placeholder")));
        File.WriteAllText(_repo.Work("files/placeholder"), "kept");
        Assert.Empty(_repo.Deploy().Updated);
        Assert.Equal("kept", File.ReadAllText(_repo.Work("files/placeholder")));
    }

    [Fact]
    public void Mode_accepts_octal_and_rwx_strings_and_rejects_nonsense()
    {
        var result = DeployWith("Add(new File(\"a\") { Content = \"x\", Mode = \"rwx------\" }); Add(new File(\"b\") { Content = \"y\", Mode = \"500\" });");
        Assert.True(result.Success, result.ToString());
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(_repo.Work("files/a")));
        Assert.Equal((UnixFileMode)0b101_000_000, File.GetUnixFileMode(_repo.Work("files/b")));
        Assert.Empty(_repo.Deploy().Updated);

        var bad = DeployWith("Add(new File(\"c\") { Content = \"z\", Mode = \"rwxrwxzzz\" });");
        Assert.False(bad.Success);
        Assert.Contains(bad.Errors, e => e.Message.Contains("Mode-string should be between `---------` and `rwxrwxrwx`", StringComparison.Ordinal));
    }

    [Fact]
    public void Symlink_and_directory_converge_and_stay_put()
    {
        var result = DeployWith("Add(new File(\"target\") { Content = \"t\" }); Add(new File(\"link\") { Ensure = Ensure.Symlink, LinkTo = \"target\" }); Add(new File(\"dir\") { Ensure = Ensure.Directory });");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(_repo.Work("files/target"), new FileInfo(_repo.Work("files/link")).LinkTarget);
        Assert.True(Directory.Exists(_repo.Work("files/dir")));
        Assert.Empty(_repo.Deploy().Updated);
    }

    [Fact]
    public void Directory_without_leading_fails_with_the_missing_parent_named()
    {
        var result = DeployWith("Add(new Directory(\"deep/er/dir\"));");
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Message.Contains("does not exist", StringComparison.Ordinal) && e.Host == "localhost");
    }

    [Fact]
    public void A_command_longer_than_the_timeout_is_stopped_and_named()
    {
        _repo.Component("slow", "public sealed class Slow : Component { protected override void Verify() => throw new UpdateNeeded(\"go\"); protected override void Update() => Cmd(\"sleep 30\"); }")
            .Environment("test", "[environment]\nconnect_method = local\ntimeout = 1\n[hosts]\nlocalhost = slow\n");
        var result = _repo.Deploy();
        Assert.False(result.Success);
        var error = result.Error("ComponentFailed");
        Assert.Contains("sleep 30", error.Message);
        Assert.Contains("timed out after 1s", error.Body);
        Assert.Equal("localhost", error.Host);
    }

    [Fact]
    public void A_workdir_an_update_removed_is_made_again_for_the_next_component()
    {
        // the workdir check is skipped while the components of a root share a workdir found in place: an update ends that
        _repo.Component("files", """
            public sealed class Wipe : Component
            {
                protected override void Verify() => throw new UpdateNeeded("always");
                protected override void Update() => System.IO.Directory.Delete(Workdir, recursive: true);
            }
            public sealed class Files : Component
            {
                protected override void Configure()
                {
                    Add(new File("a.txt") { Content = "a" });
                    Add(new Wipe());
                    Add(new File("b.txt") { Content = "b" });
                }
            }
            """).LocalEnvironment("files");
        var result = _repo.Deploy();
        Assert.True(result.Success, result.ToString());
        Assert.False(File.Exists(_repo.Work("files/a.txt")));
        Assert.Equal("b", File.ReadAllText(_repo.Work("files/b.txt")));
    }

    public void Dispose() => _repo.Dispose();
}
