using Batou.Web.Components;
using Batou.Web.Endpoints;
using Batou.Web.Extensions;
using Batou.Web.Governance.Identity;
using Batou.Web.Governance.Repositories;
using Batou.Web.Governance.Retry;
using Batou.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseStaticWebAssets();
// Run from the build output (`dotnet bin/…/Batou.Web.dll`, the benchmarks), MapStaticAssets would patch every asset for hot reload and serve
// even the fingerprinted ones "no-cache": each page load then revalidated its seven stylesheets and scripts before the
// circuit could start. Outside Development the manifest's own headers hold (fingerprinted = immutable), as when published.
if (!builder.Environment.IsDevelopment()) builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
builder.AddBatouWeb();

var app = builder.Build();
app.Use(SecurityHeaders.Middleware);
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
app.Use(FirstRun.Middleware);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.Use(FormProtection.Middleware);
app.UseRateLimiter();
app.MapStaticAssets().AllowAnonymous();
app.MapAccountEndpoints();
app.MapRepositoryEndpoints();
app.MapDeploymentEndpoints();
app.MapApiEndpoints();
app.MapApiDocument();
app.MapAuditEndpoints();
app.MapRetryEndpoints();
app.MapRepositoryRemovalEndpoints();
app.MapBatouHangfireDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

public partial class Program;
