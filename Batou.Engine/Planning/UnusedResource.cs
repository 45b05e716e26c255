namespace Batou.Engine.Planning;

/// <summary>
/// A provided resource no subscription reaches. A class, not a value tuple: framework collections and LINQ over a
/// value tuple are generic code ReadyToRun cannot precompile, JIT-compiled in every run (docs/decisions.md).
/// </summary>
internal sealed record UnusedResource(string Key, RootComponent Root, IReadOnlyList<object> Values);

/// <summary>The key of where a resource was provided (a record for the same reason as <see cref="UnusedResource"/>).</summary>
internal sealed record ProvidedKey(string Key, RootComponent Root);

/// <summary>A line a root's Configure() logged, in model order.</summary>
internal sealed record ConfigureLogLine(string Root, string Text);
