namespace Batou.Engine.Api;

/// <summary>A user error carrying one or more <see cref="BatouError"/>s; never shown as a stack trace.</summary>
public class BatouException : Exception
{
    public BatouException(BatouError error) : this([error]) { }

    public BatouException(IReadOnlyList<BatouError> errors)
        : base(string.Join("\n", errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public IReadOnlyList<BatouError> Errors { get; }
}
