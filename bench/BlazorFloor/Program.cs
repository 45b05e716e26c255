using BlazorFloor.Components;
using MudBlazor.Services;

// The smallest page of the dashboard's stack: interactive Blazor Server (prerendered, as the dashboard's pages are)
// with MudBlazor's stylesheet, script, layout, app bar and drawer, and nothing else: no database, no sign-in, no data.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
var app = builder.Build();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
