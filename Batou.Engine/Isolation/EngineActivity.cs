namespace Batou.Engine.Isolation;

/// <summary>
/// What repository code the process is running right now, for <c>batou engine</c> only: when
/// the child dies (exit, stack overflow, a crashing thread) the caller can name the component
/// and host. In every other process nobody observes and the calls cost a null check.
/// </summary>
internal static class EngineActivity
{
    private static Action<string, string?, string?>? s_observer;
    private static Secrets.SecretSet? s_secrets;

    public static void Observe(Action<string, string?, string?> observer) => s_observer = observer;

    /// <summary>A root component is about to be created and configured.</summary>
    public static void Configuring(string host, string component) => s_observer?.Invoke("configuring", host, component);

    /// <summary>Remembers the secrets of this process, so a crash report can mask them.</summary>
    public static void Track(Secrets.SecretSet secrets)
    {
        if (s_observer is not null) s_secrets = secrets;
    }

    /// <summary>The secret values known so far (best effort: read while the process is dying).</summary>
    public static IReadOnlyCollection<string> Needles()
    {
        try
        {
            return s_secrets?.Needles.ToArray() ?? [];
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }
}
