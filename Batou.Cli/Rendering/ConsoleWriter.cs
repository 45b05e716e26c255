namespace Batou.Cli.Rendering;

/// <summary>batou's output primitives: sections, steps, errors, warnings; colour only on a terminal.</summary>
internal sealed class ConsoleWriter(TextWriter output)
{
    private readonly bool _colour = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
                                    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    private int Width => _colour ? Math.Clamp(SafeWidth(), 40, 160) : 80;

    public void Line(string text = "", string? colour = null, bool bold = false)
    {
        if (!_colour || (colour is null && !bold))
        {
            output.WriteLine(text);
            return;
        }
        var code = (bold ? "1;" : "") + (colour switch
        {
            "red" => "31", "green" => "32", "yellow" => "33", "blue" => "34", "purple" => "35", "cyan" => "36", "grey" => "90", _ => "39",
        });
        output.WriteLine($"\u001b[{code}m{text}\u001b[0m");
    }

    public void Section(string title, string? colour = null)
    {
        var text = $" {title} ";
        var left = Math.Max(2, (Width - text.Length) / 2);
        var right = Math.Max(2, Width - text.Length - left);
        Line(new string('=', left) + text + new string('=', right), colour, bold: true);
    }

    public void Step(string context, string message, string icon) => Line($"{icon} {context}: {message}", bold: true);

    public void Error(string message) => Line("ERROR: " + message, "red", bold: true);

    public void Warn(string message) => Line("   WARN: " + message, "yellow");

    public void Tabular(string key, string value) => Line($"{key.PadLeft(15)}: {value}");

    private static int SafeWidth()
    {
        try { return Console.WindowWidth; }
        catch (IOException) { return 80; }
    }
}
