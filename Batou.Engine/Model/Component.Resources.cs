using Batou.Engine.Planning;

namespace Batou;

public abstract partial class Component
{
    /// <summary>Offers a value under a key to other components (on any host).</summary>
    protected void Provide(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        RootOrThrow.Model.Resources.Provide(RootOrThrow, key, value);
    }

    /// <summary>
    /// All values provided under <paramref name="key"/> (optionally only by components on
    /// <paramref name="host"/>). Records a dependency: this root deploys after the providers
    /// (or before them with <paramref name="reverse"/>). <paramref name="strict"/> makes an empty
    /// result an error once the model has converged; <paramref name="dirty"/> does not reconfigure
    /// this root when the value changes (breaks cycles).
    /// </summary>
    protected IReadOnlyList<object> Require(string key, Host? host = null, bool strict = true, bool reverse = false, bool dirty = false) =>
        RootOrThrow.Model.Resources.Require(RootOrThrow, key, host, strict, reverse, dirty);

    protected IReadOnlyList<T> Require<T>(string key, Host? host = null, bool strict = true, bool reverse = false, bool dirty = false) =>
        Require(key, host, strict, reverse, dirty).Select(v => CastResource<T>(key, v)).ToArray();

    /// <summary>Exactly one value under <paramref name="key"/>; more than one is an error.</summary>
    protected object RequireOne(string key, Host? host = null, bool strict = true, bool reverse = false, bool dirty = false)
    {
        var values = Require(key, host, strict, reverse, dirty);
        if (values.Count > 1)
            throw new ConfigurationError($"Expected only one result, got multiple for (key={key}, host={host?.Name ?? "None"})");
        if (values.Count == 0)
        {
            if (strict) throw new SilentConfigurationError();
            return null!;
        }
        return values[0];
    }

    protected T RequireOne<T>(string key, Host? host = null, bool strict = true, bool reverse = false, bool dirty = false)
    {
        var value = RequireOne(key, host, strict, reverse, dirty);
        return value is null ? default! : CastResource<T>(key, value);
    }

    private static T CastResource<T>(string key, object value) =>
        value is T typed
            ? typed
            : throw new ConfigurationError($"Resource \"{key}\" holds a {value.GetType().Name}, not a {typeof(T).Name}");
}
