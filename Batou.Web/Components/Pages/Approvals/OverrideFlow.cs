using System.Security.Claims;
using Batou.Web.Deployments;
using Batou.Web.Governance;
using MudBlazor;

namespace Batou.Web.Components.Pages.Approvals;

/// <summary>Requests a deployment; when the window is closed and the user may administer the environment, offers the override.</summary>
public static class OverrideFlow
{
    public static async Task<DeployOutcome> RequestAsync(Deployer deployer, IDialogService dialogs, IAccessPolicy access, ClaimsPrincipal user, DeployRequest r)
    {
        var outcome = await deployer.RequestAsync(r);
        if (!outcome.WindowClosed || !await access.CanAsync(user, r.Repository, r.Environment, GovernedAction.Administer)) return outcome;
        var dialog = await dialogs.ShowAsync<OverrideDialog>($"Override the window of {r.Environment}",
            new DialogParameters<OverrideDialog> { { x => x.Why, outcome.Error! } });
        if ((await dialog.Result) is not { Canceled: false, Data: string reason }) return outcome;
        return await deployer.RequestAsync(r with { OverrideReason = reason });
    }
}
