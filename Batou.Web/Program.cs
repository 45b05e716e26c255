using Batou.Web.Components;
using Batou.Web.Endpoints;
using Batou.Web.Extensions;
using Batou.Web.Governance.Identity;
using Batou.Web.Governance.Repositories;
using Batou.Web.Governance.Retry;
using Batou.Web.Infrastructure;

// a setting that cannot be read (a word where a number belongs) stops the start with one line naming it, not a stack trace
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.WebHost.UseStaticWebAssets();
    // Run from the build output (`dotnet bin/…/Batou.Web.dll`, the benchmarks), MapStaticAssets would patch every asset for hot reload and serve
    // even the fingerprinted ones "no-cache": each page load then revalidated its seven stylesheets and scripts before the
    // circuit could start. Outside Development the manifest's own headers hold (fingerprinted = immutable), as when published.
    if (!builder.Environment.IsDevelopment()) builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
    builder.AddBatouWeb();

    var app = builder.Build();
    // the options checked on start (ValidateOnStart), checked here first: the host would log a failure with its stack trace
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    app.Use(SecurityHeaders.Middleware);
    app.Use(ShutdownGate.For(app.Lifetime));
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
}
catch (Exception e) when (BadSetting.Describe(e) is { } message)
{
    Console.Error.WriteLine(message);
    return 2;
}
return 0;

public partial class Program;
