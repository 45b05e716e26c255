using System.Security.Cryptography;
using System.Text;
using Batou.Engine.Planning;

namespace Batou.Engine.Remote;

/// <summary>
/// The controller's tree hash of everything a transfer would send to a host, computed once per
/// deployment (on a worker thread, while the hosts are being reached) and the same for every host:
/// the update method; for <c>rsync</c> every selected file's path, kind, mode and content
/// (SHA-256), for the git methods the branch, its commit and the sub-directory; the compiled
/// components, what the controller built for components (<c>work/.batou-build</c>, so the hash waits for the
/// configure step that builds it) and the component packages. Equal hash + untouched target (<see cref="TransferState"/>)
/// = nothing to send. <c>BATOU_TRANSFER_SKIP=0</c> sends every time (for comparisons).
/// </summary>
internal sealed class TransferFingerprint
{
    private readonly ComponentModel _model;
    private readonly Lazy<Task<string?>> _hash;
    private readonly Lazy<string> _gitPrefix;

    /// <param name="configured">The controller's configure step (controller builds included): the hash covers what it built.</param>
    public TransferFingerprint(ComponentModel model, Task<bool> configured, CancellationToken token)
    {
        _model = model;
        _hash = new(() => Task.Run(async () => await configured.ConfigureAwait(false) ? Compute(model, token) : null, token));
        _gitPrefix = new(() => model.Environment.Settings.UpdateMethod is "git-bundle" or "git-pull"
            ? LocalGit.Find(model.Environment.BaseDir, token)?.Prefix ?? "" : "");
    }

    /// <summary>False when <c>BATOU_TRANSFER_SKIP=0</c>: the hash is still checked and recorded, the transfer always runs.</summary>
    public static bool SkipEnabled => System.Environment.GetEnvironmentVariable("BATOU_TRANSFER_SKIP") != "0";

    /// <summary>Starts the computation (it runs while the hosts are being reached).</summary>
    public void Start() => _ = _hash.Value;

    /// <summary>The tree hash, or null when it cannot be computed (then the transfer runs and reports whatever is wrong).</summary>
    public Task<string?> HashAsync() => _hash.Value;

    /// <summary>
    /// What the target's manifest covers: <paramref name="targetDirectory"/> without <c>.git</c>,
    /// the lock and <c>work/</c>, plus the compiled components and packages inside <c>work/</c>.
    /// <paramref name="deployment"/> is the deployment directory on the host (the target directory,
    /// or its sub-directory for a deployment inside a bigger git repository).
    /// </summary>
    public TransferCheck CheckFor(string hash, string targetDirectory, string deployment)
    {
        var prefix = deployment.Length > targetDirectory.Length ? deployment[(targetDirectory.Length + 1)..] + "/" : "";
        var assembly = _model.ComponentAssembly ?? throw new InvalidOperationException("components were not compiled");
        var components = prefix + "work/.batou/components/";
        var extra = new List<string> { components + Path.GetFileName(assembly), components + Path.GetFileName(Path.ChangeExtension(assembly, ".pdb")) };
        if (_model.PackagesDirectory is { } packages)
            extra.Add(prefix + Path.GetRelativePath(_model.Environment.BaseDir, packages).Replace('\\', '/'));
        if (Directory.Exists(Path.Combine(_model.Environment.BaseDir, ControllerBuilds.Folder))) extra.Add(prefix + ControllerBuilds.Folder);
        return new TransferCheck(hash, targetDirectory, [".git", AgentLock.FileName, ".test-sshd", prefix + "work"], extra);
    }

    /// <summary>
    /// The deployment directory on the host: the target directory, or for the git methods the same
    /// sub-directory of the checkout as locally (known without asking the host).
    /// </summary>
    public string DeploymentIn(string targetDirectory) =>
        _gitPrefix.Value is { Length: > 0 } prefix ? targetDirectory + "/" + prefix.TrimEnd('/') : targetDirectory;

    private static string? Compute(ComponentModel model, CancellationToken token)
    {
        var environment = model.Environment;
        var settings = environment.Settings;
        if (model.ComponentAssembly is not { } assembly) return null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string line) => sha.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        try
        {
            Add("batou transfer 1");
            Add("method " + settings.UpdateMethod);
            if (settings.UpdateMethod is "git-bundle" or "git-pull")
            {
                if (LocalGit.Find(environment.BaseDir, token) is not { } git || git.BranchCommit(settings.Branch) is not { } commit) return null;
                Add($"branch {settings.Branch} {commit} {git.Prefix}");
                if (settings.UpdateMethod == "git-pull") Add("url " + git.PullUrl(settings.RepositoryUrl));
            }
            else
            {
                AddTree(environment.BaseDir, RepositoryTransfer.Selection(assembly), "repository", Add);
            }
            AddTree(Path.Combine(environment.BaseDir, ControllerBuilds.Folder), _ => true, "build", Add);   // the git methods ship it beside the checkout
            foreach (var file in new[] { assembly, Path.ChangeExtension(assembly, ".pdb") })
                Add(File.Exists(file) ? $"component {Path.GetFileName(file)} {LocalTree.HashFile(file)}" : $"component {Path.GetFileName(file)} missing");
            if (model.PackagesDirectory is { } packages)
            {
                Add("packages " + Path.GetRelativePath(environment.BaseDir, packages).Replace('\\', '/'));
                AddTree(packages, _ => true, "package", Add);
            }
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Every selected file, link and directory below <paramref name="root"/>, in a stable order.</summary>
    private static void AddTree(string root, Func<string, bool> include, string label, Action<string> add)
    {
        if (!Directory.Exists(root)) { add(label + " none"); return; }
        var lines = LocalTree.Walk(root, include).Select(e => e.Kind switch
        {
            'l' => $"{label} l {Counted(e.Path)} {Counted(e.Content)}",
            'd' => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{label} d {e.Mode} {Counted(e.Path)}"),
            _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{label} f {e.Mode} {e.Content} {Counted(e.Path)}"),
        }).ToList();
        lines.Sort(StringComparer.Ordinal);
        foreach (var line in lines) add(line);
    }

    /// <summary>A name with its length in front: no file name can make two different trees hash alike.</summary>
    private static string Counted(string name) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name.Length}:{name}");
}
