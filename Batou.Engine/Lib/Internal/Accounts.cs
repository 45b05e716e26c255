namespace Batou.Lib.Internal;

/// <summary>Reads users and groups through <c>getent</c> (so NSS sources count, not only /etc files).</summary>
internal static class Accounts
{
    public static void CheckName(string name, string kind)
    {
        if (name.Length is 0 or > 32 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_')
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            throw new ConfigurationError($"{kind}(\"{name}\"): not a valid name (lower-case letters, digits, _ and -, starting with a letter or _, at most 32).");
    }

    /// <summary>The fields of the <c>getent &lt;database&gt; &lt;name&gt;</c> line, or null when there is none.</summary>
    public static string[]? Entry(string database, string name)
    {
        var result = Engine.Util.ProcessRunner.Run("getent", [database, name], "/", null, TimeSpan.FromSeconds(30), CancellationToken.None);
        if (result.ExitCode == 2) return null;
        if (result.ExitCode != 0)
            throw new DeploymentError($"getent {database} {name} failed with exit code {result.ExitCode}: {result.Stderr.Trim()}");
        return result.Stdout.TrimEnd('\n').Split('\n')[0].Split(':');
    }
}
