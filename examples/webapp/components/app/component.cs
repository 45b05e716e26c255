// The application: its configuration file from a template, a start script, a log directory,
// and its address offered to other components as the resource "app:address".
public sealed class App : Component
{
    public int Port { get; set; } = 8080;
    public int Workers { get; set; } = 2;
    public string LogLevel { get; set; } = "info";
    public List<string> Modules { get; set; } = [];

    protected override void Configure()
    {
        Add(new Directory("logs"));
        var config = Add(new File("app.conf"));           // rendered from app.conf next to this file
        Add(new File("bin/start.sh") { Mode = "0755", Leading = true });
        // Runs only when the configuration changed in this deployment (a real app would reload here).
        Add(new Command("reload") { Run = "date -u > last-reload", Watch = [config] });
        Provide("app:address", $"127.0.0.1:{Port}");
    }
}
