using AngleSharp.Html.Parser;
using Batou.Web.Components.Pages.Compare;
using Batou.Web.Git;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests.Browse;

/// <summary>
/// The comparison page with many changed files: the first response renders the first <see cref="ComparePanel.Page"/>
/// file panels and starts no describe (that is the circuit's job); "show more" and "show all" render the rest.
/// </summary>
[Collection("dashboard")]
public sealed class ComparePageTests(DashboardFixture app) : BrowserSession(app)
{
    private const int Files = 60;
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? _commit;

    [Fact]
    public async Task The_first_response_has_the_first_panels_only_and_no_engine_work_the_circuit_shows_the_rest()
    {
        var (s, commit) = await ManyFilesAsync();
        var path = $"/repos/example/env/{s.Environment}/compare/deployed/{commit}";
        using var client = await App.SignedInClientAsync();
        var doc = new HtmlParser().ParseDocument(await client.GetStringAsync(path));
        var count = int.Parse(doc.QuerySelector("#file-count")!.TextContent.Split(' ')[0]);
        Assert.InRange(count, Files, Files + 2);   // the new files, and the setting when the deployed commit is not B
        Assert.Equal(ComparePanel.Page, doc.QuerySelectorAll("#repo-diff .repo-file").Length);
        Assert.Contains($"Show all {count}", doc.QuerySelector("#all-files")!.TextContent);
        // the prerendered response cannot show the configuration diff, so it did not start the engine on the new commit
        await Task.Delay(1500);
        var checkout = Path.Combine(App.Root, "data", "checkouts", "example", commit);
        Assert.False(Directory.Exists(checkout), "a plain GET extracted the commit for a describe");

        var page = await SignedInPageAsync();
        await GoAsync(page, path);
        await Expect(page.Locator("#repo-diff .repo-file")).ToHaveCountAsync(ComparePanel.Page);
        await page.ClickAsync("#more-files");
        await Expect(page.Locator("#repo-diff .repo-file")).ToHaveCountAsync(2 * ComparePanel.Page);
        await page.ClickAsync("#all-files");
        await Expect(page.Locator("#repo-diff .repo-file")).ToHaveCountAsync(count);
        await Expect(page.Locator("#all-files")).ToHaveCountAsync(0);
        // the circuit started the describes: the configuration diff arrives (same configuration, new files only)
        await Expect(page.Locator("#config-diff .mud-progress-linear")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        Assert.True(Directory.Exists(checkout));
    }

    /// <summary>A commit on a branch of its own, on top of the scenario's B: <see cref="Files"/> new files in the environment's folder.</summary>
    private async Task<(CompareScenario, string)> ManyFilesAsync()
    {
        var s = await CompareScenario.ForAsync(App);
        await Once.WaitAsync();
        try
        {
            if (_commit is null)
            {
                var tree = Path.Combine(App.Root, "browse-many-worktree");
                CompareScenario.Git(App.RepoDir, "worktree", "add", "-q", "-b", "browse-many", tree, s.CommitB);
                var dir = Directory.CreateDirectory(Path.Combine(tree, "environments", s.Environment, "many"));
                for (var i = 0; i < Files; i++) await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"file{i:00}.txt"), $"file {i}\n");
                CompareScenario.Git(tree, "add", "-A");
                CompareScenario.Git(tree, "commit", "-q", "-m", $"{Files} files to compare");
                _commit = CompareScenario.Git(tree, "rev-parse", "HEAD").Trim();
                await App.Factory.Services.GetRequiredService<RepositoryCatalog>().FetchAsync("example");
            }
            return (s, _commit);
        }
        finally
        {
            Once.Release();
        }
    }
}
