using Batou.Engine.Api;
using Batou.Engine.Execution;

namespace Batou.Engine.Secrets;

/// <summary>
/// The public face of secrets management for the CLI (and later the dashboard). Every method
/// works on a deployment repository, holds its lock while writing, throws <see cref="BatouException"/>
/// for user errors and returns the changed files (relative paths) so the user can commit them.
/// </summary>
public static class SecretsApi
{
    /// <summary>Edits the secrets file (or <c>secret-FILE</c>) with <c>$EDITOR</c>; returns the exit code.</summary>
    public static int Edit(string repository, string environment, string? file, TextReader input, TextWriter output, Action<BatouError> report) =>
        new SecretsEditor(input, output, report).Edit(Path.GetFullPath(repository), environment, file);

    /// <summary>Members and secret file names of the given environments (comma list; all when empty).</summary>
    public static string Summary(string repository, string? environments)
    {
        var root = Path.GetFullPath(repository);
        return SecretsManager.Summary(root, SecretsManager.Select(root, environments));
    }

    public static IReadOnlyList<string> AddMember(string repository, string member, string? environments) =>
        Locked(repository, root => SecretsManager.AddMember(root, member, SecretsManager.Select(root, environments)));

    public static IReadOnlyList<string> RemoveMember(string repository, string member, string? environments) =>
        Locked(repository, root => SecretsManager.RemoveMember(root, member, SecretsManager.Select(root, environments)));

    /// <summary>Re-encrypts where the recipients changed since the last write, or everything with <paramref name="force"/>.</summary>
    public static IReadOnlyList<string> Reencrypt(string repository, string? environments, bool force) =>
        Locked(repository, root => SecretsManager.Reencrypt(root, SecretsManager.Select(root, environments), force));

    /// <summary>The cleartext of an encrypted file, chosen by its extension (<c>.age</c>, <c>.age-diffable</c>, <c>.gpg</c>).</summary>
    public static string Decrypt(string path) => SecretStore.Decrypt(Path.GetFullPath(path), path);

    private static IReadOnlyList<string> Locked(string repository, Func<string, IReadOnlyList<string>> action)
    {
        var root = Path.GetFullPath(repository);
        using var _ = DeploymentLock.Acquire(root);
        return action(root);
    }
}
