using Batou.Web.Components.Shared;
using Batou.Web.Git;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Batou.Web.Tests.Components;

/// <summary>bUnit: the dashboard's own components render what people rely on (status in word and icon, diffs, dialogs).</summary>
public sealed class ComponentTests : IAsyncLifetime
{
    // composed, not inherited: MudBlazor's services only dispose asynchronously (stack-notes-2, bUnit traps)
    private readonly BunitContext _ctx = new();

    public ComponentTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    [Theory]
    [InlineData("succeeded", "mud-chip-color-success")]
    [InlineData("failed", "mud-chip-color-error")]
    [InlineData("cancelled", "mud-chip-color-warning")]
    [InlineData("running", "mud-chip-color-info")]
    public void A_status_shows_its_word_an_icon_and_a_colour(string status, string colour)
    {
        var chip = _ctx.Render<StatusChip>(p => p.Add(x => x.Status, status));
        var root = chip.Find(".status-chip");
        Assert.Equal(status, root.GetAttribute("data-status"));
        Assert.Contains(status, root.TextContent);
        Assert.Contains(colour, root.ClassList);
        Assert.NotNull(chip.Find("svg"));   // the icon: never colour alone
    }

    [Fact]
    public void A_diff_marks_added_removed_and_hunk_lines()
    {
        var view = _ctx.Render<DiffView>(p => p.Add(x => x.Lines, ["--- a/app.conf", "+++ b/app.conf", "@@ -1 +1 @@", "-port = 1", "+port = 2", " same"]));
        Assert.Equal("-port = 1", view.Find(".diff-del").TextContent.Trim());
        Assert.Equal("+port = 2", view.Find(".diff-add").TextContent.Trim());
        Assert.Single(view.FindAll(".diff-hunk"));
        Assert.Equal(2, view.FindAll(".diff-file").Count);
        Assert.Single(view.FindAll(".diff-ctx"));
    }

    [Fact]
    public void File_changes_list_each_file_with_its_counts_and_say_when_a_diff_was_cut()
    {
        var changes = _ctx.Render<FileChanges>(p => p.Add(x => x.Changes,
            [new FileChange("environments/prod/environment.cfg", "modified", 1, 1, "@@ -1 +1 @@\n-a\n+b\n", false),
             new FileChange("components/app/big.txt", "added", 9000, 0, "+x\n", true)]));
        var panels = changes.FindAll(".file-change");
        Assert.Equal(2, panels.Count);
        Assert.Equal("environments/prod/environment.cfg", panels[0].GetAttribute("data-path"));
        Assert.Contains("+9000", panels[1].TextContent);
        Assert.Empty(_ctx.Render<FileChanges>(p => p.Add(x => x.Changes, [])).FindAll(".file-change"));
    }

    [Fact]
    public async Task The_production_confirmation_returns_ok_only_when_deploy_is_clicked()
    {
        var provider = _ctx.Render<MudDialogProvider>();
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<ConfirmDeployDialog>
        {
            { x => x.Environment, "production" }, { x => x.Commit, "abc1234567" }, { x => x.PreviewSummary, "Preview #7: 1 root component(s) would change: web1 > app." },
        };
        // first: cancelled
        var first = await provider.InvokeAsync(() => dialogs.ShowAsync<ConfirmDeployDialog>("Deploy", parameters));
        provider.WaitForElement("#preview-summary", TimeSpan.FromSeconds(5));
        Assert.Contains("would change: web1 > app", provider.Find("#preview-summary").TextContent);
        await provider.Find("#confirm-cancel").ClickAsync(new MouseEventArgs());
        Assert.True((await first.Result.WaitAsync(TimeSpan.FromSeconds(5)))!.Canceled);
        // then: confirmed
        var second = await provider.InvokeAsync(() => dialogs.ShowAsync<ConfirmDeployDialog>("Deploy", parameters));
        provider.WaitForElement("#confirm-deploy", TimeSpan.FromSeconds(5));
        await provider.Find("#confirm-deploy").ClickAsync(new MouseEventArgs());
        var result = await second.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result!.Canceled);
        Assert.Equal(true, result.Data);
    }

    [Theory]
    [InlineData("production", true)]
    [InlineData("prod", true)]
    [InlineData("eu-prod-2", true)]
    [InlineData("live", true)]
    [InlineData("staging", false)]
    [InlineData("productive-tests", false)]
    [InlineData("local", false)]
    public void Production_like_environments_are_recognised_by_name(string environment, bool expected) =>
        Assert.Equal(expected, Batou.Web.Components.Pages.Environment.IsProductionLike(environment));
}
