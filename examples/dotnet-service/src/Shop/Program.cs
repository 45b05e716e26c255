// The application the deployment builds (DotnetRelease publishes this folder).
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
var database = builder.Configuration.GetConnectionString("Shop") is { Length: > 0 } ? "configured" : "missing";

app.MapGet("/health", () => Results.Text("Healthy"));
app.MapGet("/", () => Results.Text($"Shop is running; database connection {database}\n"));
app.Run();
