namespace Batou.Cli.Commands;

/// <summary>What <c>batou deploy</c> was asked, whichever parser read it (<see cref="DeployFastPath"/> or System.CommandLine).</summary>
internal sealed record DeployArguments(string Environment)
{
    public bool Predict { get; init; }
    public bool Consistency { get; init; }
    public bool Local { get; init; }
    public bool Dirty { get; init; }
    public bool NoWarm { get; init; }
    public bool Verbose { get; init; }
    public int? Jobs { get; init; }
    public string? Platform { get; init; }
    public string? Timeout { get; init; }
    public string? Directory { get; init; }
    public string? Warm { get; init; }
    public IReadOnlyList<string> Only { get; init; } = [];
}
