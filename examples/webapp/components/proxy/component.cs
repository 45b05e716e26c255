// A reverse proxy in front of every App: it requires the apps' addresses, so it deploys after them.
public sealed class Proxy : Component
{
    public int ListenPort { get; set; } = 80;
    public string ServerName { get; set; } = "localhost";

    protected override void Configure()
    {
        var upstreams = Require<string>("app:address");
        Add(new File("proxy.conf") { TemplateArgs = new { Upstreams = upstreams } });
    }
}
