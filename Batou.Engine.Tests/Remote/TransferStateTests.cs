using Batou.Engine.Remote;

namespace Batou.Engine.Tests.Remote;

/// <summary>
/// The agent's side of skipping a transfer, on a real directory: the recorded state is trusted only
/// while the tree's manifest is unchanged, and forgotten as soon as a check fails.
/// </summary>
public sealed class TransferStateTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("batou-transfer-state-").FullName;

    public TransferStateTests()
    {
        Write("environments/test/environment.cfg", "[environment]\n");
        Write("components/app/component.cs", "// app\n");
        Write("work/.batou/components/abc.dll", "dll");
        Write("work/app/output.txt", "written by a deployment");
        Write(".git/HEAD", "ref: refs/heads/main\n");
    }

    private TransferCheck Check(string hash = "h1") =>
        new(hash, _root, [".git", ".batou-lock", "work"], ["work/.batou/components/abc.dll", "work/.batou/components/abc.pdb"]);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string PathOf(string relative) => Path.Combine(_root, relative);

    [Fact]
    public void A_recorded_tree_is_current_for_the_same_hash_only()
    {
        Assert.False(TransferState.IsCurrent(Check()));
        TransferState.Record(Check());
        Assert.True(TransferState.IsCurrent(Check()));
        Assert.False(TransferState.IsCurrent(Check("h2")));
        Assert.False(TransferState.IsCurrent(Check()));   // a failed check forgets the state
    }

    [Fact]
    public void What_deployments_write_into_work_and_git_does_not_count()
    {
        TransferState.Record(Check());
        Write("work/app/output.txt", "written again, longer than before");
        Write("work/app/new.txt", "new");
        Write(".git/HEAD", "ref: refs/heads/other\n");
        Assert.True(TransferState.IsCurrent(Check()));
    }

    public static TheoryData<string> Tampering => new()
    {
        "removed", "added", "edited", "moded", "touched", "component removed", "linked",
    };

    [Theory, MemberData(nameof(Tampering))]
    public void A_change_on_the_host_makes_the_tree_not_current(string change)
    {
        TransferState.Record(Check());
        var file = PathOf("components/app/component.cs");
        switch (change)
        {
            case "removed": File.Delete(file); break;
            case "added": Write("components/app/extra.cs", "// extra\n"); break;
            case "edited": File.AppendAllText(file, "// more\n"); break;
            case "moded": File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); break;
            case "touched": File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(-5)); break;
            case "component removed": File.Delete(PathOf("work/.batou/components/abc.dll")); break;
            case "linked": File.Delete(file); File.CreateSymbolicLink(file, "/etc/hostname"); break;
        }
        Assert.False(TransferState.IsCurrent(Check()));
        Assert.False(File.Exists(TransferState.StateFile(_root)));
    }

    [Fact]
    public void A_missing_target_is_never_current()
    {
        TransferState.Record(Check());
        Directory.Delete(_root, recursive: true);
        Assert.False(TransferState.IsCurrent(Check()));
    }

    public void Dispose()
    {
        if (File.Exists(TransferState.StateFile(_root))) File.Delete(TransferState.StateFile(_root));
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
