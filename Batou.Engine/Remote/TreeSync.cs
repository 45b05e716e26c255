using System.Formats.Tar;
using System.IO.Pipelines;
using Batou.Engine.Api;
using Batou.Engine.Util;

namespace Batou.Engine.Remote;

/// <summary>
/// What <see cref="TreeSync"/> copies: the files of <see cref="LocalDir"/> that <see cref="Include"/>
/// accepts (relative paths with '/', directories with a trailing '/'; a refused directory is not
/// entered) into <see cref="RemoteDir"/>. <see cref="RemoteRoots"/> and <see cref="RemotePrune"/>
/// bound what is looked at on the host (paths starting with <c>./</c>).
/// </summary>
internal sealed record TreeSpec(string LocalDir, string RemoteDir, Func<string, bool> Include, bool Delete)
{
    public IReadOnlyList<string> RemoteRoots { get; init; } = ["."];
    public IReadOnlyList<string> RemotePrune { get; init; } = [];
}

/// <summary>
/// rsync's job without rsync, for transports that cannot run it (<c>ssh_client = builtin</c>):
/// one round trip lists the host's files with mode and SHA-256, then one tar stream carries the
/// new and changed files (modes and times kept) and, with <see cref="TreeSpec.Delete"/>, a second
/// command removes what is gone locally. Unchanged trees cost the listing only.
/// </summary>
internal static class TreeSync
{
    private sealed record Entry(char Kind, int Mode, string Content);

    /// <summary>Returns how many files were sent and deleted.</summary>
    public static (int Sent, int Deleted) Run(IRemoteTransport ssh, Host host, RemoteAccount account, TreeSpec spec, string what, CancellationToken token)
    {
        var local = ScanLocal(spec);
        var remote = ScanRemote(ssh, host, account, spec, what, token);
        var send = local.Where(l => !remote.TryGetValue(l.Key, out var r) || r != l.Value).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
        var delete = spec.Delete ? remote.Keys.Where(k => !local.ContainsKey(k) && Included(spec, k)).ToList() : [];
        var dir = ShellQuote.Quote(spec.RemoteDir);
        if (send.Count > 0)
        {
            var pipe = new Pipe();
            var writer = Task.Run(() => WriteTar(spec.LocalDir, send, pipe.Writer.AsStream()), token);
            using var input = pipe.Reader.AsStream();
            var result = ssh.Run(host, account.Command($"mkdir -p {dir} && cd {dir} && tar --no-same-owner --unlink-first -xpf -"), token, input, ssh.Timeout + TimeSpan.FromMinutes(5));
            try { writer.GetAwaiter().GetResult(); } catch (IOException) { }   // the host stopped reading: its message follows
            if (result.ExitCode != 0) throw Failed(host, what, "tar", result);
        }
        if (delete.Count > 0)
        {
            using var names = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\0', delete) + "\0"));
            var result = ssh.Run(host, account.Command($"cd {dir} && xargs -0 -r rm -f --"), token, names);
            if (result.ExitCode != 0) throw Failed(host, what, "delete", result);
            RemoveEmptiedDirectories(ssh, host, account, spec, delete, what, token);
        }
        return (send.Count, delete.Count);
    }

    /// <summary>
    /// Directories of deleted files that are gone locally, deepest first, removed when empty now: rsync
    /// <c>--delete</c> leaves no such directory either (an old controller build would stay as a tree of
    /// empty directories). Non-empty ones (host-only content) stay.
    /// </summary>
    private static void RemoveEmptiedDirectories(IRemoteTransport ssh, Host host, RemoteAccount account, TreeSpec spec, List<string> deleted, string what, CancellationToken token)
    {
        var gone = deleted.SelectMany(Parents).Distinct(StringComparer.Ordinal)
            .Where(d => !Directory.Exists(Path.Combine(spec.LocalDir, d)) && Included(spec, d + "/"))
            .OrderByDescending(d => d.Count(c => c == '/')).ThenBy(d => d, StringComparer.Ordinal).ToList();
        if (gone.Count == 0) return;
        using var names = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\0', gone) + "\0"));
        var result = ssh.Run(host, account.Command($"cd {ShellQuote.Quote(spec.RemoteDir)} && xargs -0 -r rmdir --ignore-fail-on-non-empty --"), token, names);
        if (result.ExitCode != 0) throw Failed(host, what, "delete", result);
    }

    private static IEnumerable<string> Parents(string relative)
    {
        for (var slash = relative.LastIndexOf('/'); slash > 0; slash = relative.LastIndexOf('/', slash - 1))
            yield return relative[..slash];
    }

    private static bool Included(TreeSpec spec, string relative)
    {
        var parts = relative.Split('/');
        for (var i = 1; i < parts.Length; i++)
            if (!spec.Include(string.Join('/', parts[..i]) + "/")) return false;
        return spec.Include(relative);
    }

    private static Dictionary<string, Entry> ScanLocal(TreeSpec spec) =>
        LocalTree.Walk(spec.LocalDir, spec.Include).Where(e => e.Kind != 'd')
            .ToDictionary(e => e.Path, e => new Entry(e.Kind, e.Kind == 'f' ? e.Mode & 0xFFF : 0, e.Content), StringComparer.Ordinal);

    private static Dictionary<string, Entry> ScanRemote(IRemoteTransport ssh, Host host, RemoteAccount account, TreeSpec spec, string what, CancellationToken token)
    {
        var roots = string.Join(' ', spec.RemoteRoots.Select(ShellQuote.Quote));
        var prune = spec.RemotePrune.Count == 0 ? "" : "\\( " + string.Join(" -o ", spec.RemotePrune.Select(p => "-path " + ShellQuote.Quote(p))) + " \\) -prune -o ";
        var script = $"cd {ShellQuote.Quote(spec.RemoteDir)} 2>/dev/null || exit 0; "
            + $"find {roots} {prune}\\( -type f -o -type l \\) -printf '%y %m %p\\t%l\\n' 2>/dev/null; echo '--sha256--'; "
            + $"find {roots} {prune}-type f -print0 2>/dev/null | xargs -0 -r sha256sum";
        var result = ssh.Run(host, account.Command(script), token);
        if (result.ExitCode != 0) throw Failed(host, what, "list", result);
        var kinds = new Dictionary<string, (char Kind, int Mode, string Link)>(StringComparer.Ordinal);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var hashes = false;
        foreach (var line in result.Stdout.Split('\n'))
        {
            if (line == "--sha256--") { hashes = true; continue; }
            if (!hashes)
            {
                // "f 644 ./path\t" or "l 777 ./path\ttarget"
                var tab = line.IndexOf('\t');
                if (line.Length < 6 || tab < 0 || line[1] != ' ') continue;
                var space = line.IndexOf(' ', 2);
                if (space < 0 || space > tab) continue;
                var mode = Convert.ToInt32(line[2..space], 8);
                kinds[Relative(line[(space + 1)..tab])] = (line[0], mode, line[(tab + 1)..]);
                if (line[0] == 'l') entries[Relative(line[(space + 1)..tab])] = new Entry('l', 0, line[(tab + 1)..]);
            }
            else if (line.Length > 66 && line[64] == ' ' && !line.StartsWith('\\'))
            {
                var path = Relative(line[66..]);
                if (kinds.TryGetValue(path, out var k) && k.Kind == 'f') entries[path] = new Entry('f', k.Mode, line[..64]);
            }
        }
        // files the host listed but could not hash (unreadable, odd names) count as different
        foreach (var (path, k) in kinds)
            if (!entries.ContainsKey(path)) entries[path] = new Entry(k.Kind, k.Mode, "?");
        return entries;
    }

    private static string Relative(string path) => path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;

    private static void WriteTar(string localDir, IReadOnlyList<string> files, Stream output)
    {
        try
        {
            using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false);
            foreach (var file in files)
                tar.WriteEntry(Path.Combine(localDir, file), file);
        }
        catch (Exception e)
        {
            output.Dispose();
            if (e is not IOException) throw;
        }
    }

    private static BatouException Failed(Host host, string what, string step, ProcessResult result) =>
        new(BatouError.Create("TransferFailed", $"Could not transfer the {what} to the host",
            ("Host", host.Name), ("Method", "tar over ssh (builtin)"), ("Step", step),
            ("Exit code", result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Host said", result.Stderr.Trim().Split('\n').FirstOrDefault() is { Length: > 0 } said ? said : result.TimedOut ? "timed out" : "(nothing)")) with { Host = host.Name });
}
