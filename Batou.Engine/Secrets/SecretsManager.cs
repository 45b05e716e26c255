using System.Text;
using Batou.Engine.Configuration;

namespace Batou.Engine.Secrets;

/// <summary>
/// <c>batou secrets summary | add | remove | reencrypt</c> over one, several or all environments.
/// Every method returns the files it changed (relative paths), so the user knows what to commit.
/// </summary>
internal static class SecretsManager
{
    /// <summary>The environments named in a comma list (all when empty); unknown names are an error.</summary>
    public static IReadOnlyList<string> Select(string baseDir, string? list)
    {
        var known = EnvironmentLoader.Names(baseDir);
        if (string.IsNullOrWhiteSpace(list)) return known;
        var wanted = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = wanted.Where(w => !known.Contains(w)).ToList();
        if (unknown.Count > 0)
            throw SecretsErrors.Fail("UnknownEnvironmentError", $"Unknown environment(s): {string.Join(", ", unknown)}",
                ("Available", known.Count == 0 ? "(none)" : string.Join(", ", known)));
        return wanted;
    }

    /// <summary>Members and secret file names per environment (never a value).</summary>
    public static string Summary(string baseDir, IReadOnlyList<string> environments)
    {
        var text = new StringBuilder();
        foreach (var env in environments)
        {
            var store = SecretStore.Open(baseDir, env);
            text.Append(env).Append('\n');
            if (!store.Exists)
            {
                text.Append("\t (no secrets file)\n\n");
                continue;
            }
            var members = SecretsText.Members(SecretsText.Parse(store.ReadMain(), store.MainDisplay));
            text.Append("\t members\n");
            foreach (var m in members) text.Append("\t\t- ").Append(m).Append('\n');
            if (members.Count == 0) text.Append("\t\t(none)\n");
            text.Append("\t secret files\n");
            var files = store.SecretFiles();
            foreach (var name in files.Keys) text.Append("\t\t- ").Append(name).Append('\n');
            if (files.Count == 0) text.Append("\t\t(none)\n");
            text.Append('\n');
        }
        return text.ToString();
    }

    public static IReadOnlyList<string> AddMember(string baseDir, string member, IReadOnlyList<string> environments) =>
        ChangeMembers(baseDir, environments, members => members.Contains(member) ? members : [.. members, member]);

    public static IReadOnlyList<string> RemoveMember(string baseDir, string member, IReadOnlyList<string> environments) =>
        ChangeMembers(baseDir, environments, members => members.Where(m => m != member).ToList());

    public static IReadOnlyList<string> Reencrypt(string baseDir, IReadOnlyList<string> environments, bool force) =>
        environments.SelectMany(env => SecretStore.Open(baseDir, env).Reencrypt(force)).ToList();

    private static List<string> ChangeMembers(string baseDir, IReadOnlyList<string> environments, Func<IReadOnlyList<string>, IReadOnlyList<string>> change)
    {
        var changed = new List<string>();
        foreach (var env in environments)
        {
            var store = SecretStore.Open(baseDir, env);
            if (!store.Exists) continue;
            var cleartext = store.ReadMain();
            var members = SecretsText.Members(SecretsText.Parse(cleartext, store.MainDisplay));
            var updated = change(members);
            if (updated.SequenceEqual(members)) continue;
            changed.AddRange(store.WriteMain(SecretsText.SetMembers(cleartext, updated)));
        }
        return changed;
    }
}
