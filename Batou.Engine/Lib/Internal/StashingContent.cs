namespace Batou.Lib.Internal;

/// <summary><see cref="Content"/> that remembers what it replaced, so a rejected file can be put back.</summary>
internal sealed class StashingContent(string path) : Content(path)
{
    /// <summary>The bytes before the last update; null when there was no file.</summary>
    public byte[]? Previous { get; private set; }

    public bool Written { get; private set; }

    protected override void Update()
    {
        Previous = System.IO.File.Exists(Path) ? System.IO.File.ReadAllBytes(Path) : null;
        base.Update();
        Written = true;
    }

    /// <summary>Puts the previous bytes back (or removes the file when there was none).</summary>
    public void Restore()
    {
        if (!Written) return;
        if (Previous is null) System.IO.File.Delete(Path);
        else Engine.Util.AtomicFile.Write(Path, Previous);
    }
}
