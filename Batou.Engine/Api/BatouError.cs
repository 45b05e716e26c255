namespace Batou.Engine.Api;

/// <summary>One labelled line under an error, rendered like batou's <c>tabular</c> output.</summary>
public sealed record ErrorDetail(string Label, string Value);

/// <summary>
/// A user-facing error or warning: what went wrong, where (file and line, host, component),
/// and a sort key so several errors are reported in batou's order.
/// </summary>
public sealed record BatouError(string Kind, string Message, IReadOnlyList<ErrorDetail> Details)
{
    public int SortKey { get; init; }
    public string? Host { get; init; }
    public string? Component { get; init; }
    public string? File { get; init; }
    public int? Line { get; init; }
    /// <summary>Free text shown under the details (stdout/stderr of a command, a cycle).</summary>
    public string? Body { get; init; }

    public string Location => File is null ? "" : Line is null ? File : $"{File}:{Line}";

    public static BatouError Create(string kind, string message, params (string Label, string Value)[] details) =>
        new(kind, message, details.Select(d => new ErrorDetail(d.Label, d.Value)).ToArray());

    public override string ToString()
    {
        var lines = new List<string> { "ERROR: " + Message };
        lines.AddRange(Details.Select(d => $"{d.Label.PadLeft(15)}: {d.Value}"));
        if (Body is not null) lines.Add(Body);
        return string.Join('\n', lines);
    }
}
