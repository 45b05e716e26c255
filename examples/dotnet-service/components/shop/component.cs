/// <summary>
/// An ASP.NET Core service the way a .NET team runs it on Debian: built from src/Shop by the
/// deployment, a PostgreSQL database and role, a system user, run by supervisor, behind nginx,
/// its logs rotated, and a health check at the end. Paths and program invocations are settings
/// so the same component deploys into a private sandbox (see the tests) or onto a real host.
/// </summary>
public sealed class Shop : Component
{
    public int Port { get; set; } = 5080;
    public string Listen { get; set; } = "80";                          // nginx listen address
    public string ServerName { get; set; } = "shop.example.org";
    public string DbPassword { get; set; } = "";                       // secrets: [component:shop] db_password = …
    public string PgConnection { get; set; } = "Host=/var/run/postgresql;Username=postgres;Database=postgres";
    public string PgHost { get; set; } = "/var/run/postgresql";
    public string Home { get; set; } = "/srv/shop";
    public string Dotnet { get; set; } = "/usr/bin/dotnet";
    public string SupervisorConf { get; set; } = "/etc/supervisor/conf.d/shop.conf";
    public string Supervisorctl { get; set; } = "supervisorctl";
    public string NginxSite { get; set; } = "/etc/nginx/sites-enabled/shop.conf";
    public string NginxTest { get; set; } = "nginx -t";
    public string NginxReload { get; set; } = "nginx -s reload";
    public string LogrotateConf { get; set; } = "/etc/logrotate.d/shop";
    public bool ManageUser { get; set; } = true;

    protected override void Configure()
    {
        if (ManageUser)
        {
            Add(new SystemGroup("shop"));
            Add(new SystemUser("shop") { Group = "shop", Home = Home });
        }
        Add(new PostgresRole("shop") { Connection = PgConnection, Password = DbPassword.Length > 0 ? DbPassword : null });
        Add(new PostgresDatabase("shop") { Connection = PgConnection, Owner = "shop" });
        Add(new Directory(Home + "/logs") { Leading = true });
        var release = Add(new DotnetRelease("shop") { Project = "src/Shop", Location = Home, Keep = 3 });
        Add(new SupervisorProgram("shop", SupervisorConf)
        {
            Command = $"{Dotnet} {Home}/current/Shop.dll",
            Directory = Home + "/current",
            User = ManageUser ? "shop" : null,
            Env = $"ASPNETCORE_URLS=\"http://127.0.0.1:{Port}\",ConnectionStrings__Shop=\"Host={PgHost};Database=shop;Username=shop;Password={DbPassword}\"",
            Logfile = Home + "/logs/shop.log",
            Supervisorctl = Supervisorctl,
            Watch = [release],                     // a new release restarts the service
            SensitiveData = true,                  // the file holds the database password: no diff
        });
        Add(new HttpHealthCheck($"http://127.0.0.1:{Port}/health") { Contains = "Healthy", Timeout = TimeSpan.FromSeconds(60) });
        Add(new NginxSite("shop", NginxSite) { Test = NginxTest, Reload = NginxReload });
        Add(new Logrotate("shop", LogrotateConf) { Logs = [Home + "/logs/*.log"], Postrotate = $"{Supervisorctl} restart shop >/dev/null" });
    }
}
