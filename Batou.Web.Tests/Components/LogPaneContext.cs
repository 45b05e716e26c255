using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Batou.Web.Tests.Components;

/// <summary>
/// A bUnit context for the deployment page's log pane: MudBlazor's services, an empty configuration, loose JS interop,
/// rendered as on an interactive Blazor Server circuit. Composed, not inherited: MudBlazor's services only dispose
/// asynchronously (stack-notes-2, bUnit traps).
/// </summary>
internal static class LogPaneContext
{
    public static BunitContext Create()
    {
        var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return ctx;
    }
}
