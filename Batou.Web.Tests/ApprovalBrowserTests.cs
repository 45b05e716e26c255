using Batou.Web.Governance.Approvals;
using Batou.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>Two people in two browser contexts: Alice requests a production deployment, Bob approves it, both watch it finish.</summary>
[Collection("dashboard")]
public sealed class ApprovalBrowserTests(DashboardFixture app) : BrowserSession(app)
{
    private const string Password = "approval-test-password-1";

    private async Task EnsureUserAsync(string name)
    {
        using var scope = App.Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByNameAsync(name) is not null) return;
        var result = await users.CreateAsync(new IdentityUser(name), Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    private async Task<IPage> PersonAsync(string name)
    {
        (await App.SignedInClientAsync()).Dispose();   // the first administrator exists, so "/" asks to sign in
        await EnsureUserAsync(name);
        await Identity.People.GrantAsync(App, name, "approver");   // without a role a person is a viewer
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(App.BaseUrl + "/");
        await page.FillAsync("#UserName", name);
        await page.FillAsync("#Password", Password);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#repositories")).ToBeVisibleAsync();
        await InteractiveAsync(page);
        return page;
    }

    private async Task PolicyAsync(PolicyInput input, string environment = "gate-prod")
    {
        var repo = (await App.Factory.Services.GetRequiredService<Batou.Web.Git.RepositoryCatalog>().FindAsync("example"))!;
        var root = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, DashboardFixture.User), new(AdminRequirement.ClaimType, AdminRequirement.ClaimValue)], "test"));
        Assert.Null(await App.Factory.Services.GetRequiredService<PolicyStore>().SaveAsync(root, repo, environment, input));
    }

    [Fact]
    public async Task Alice_requests_production_cannot_approve_it_herself_Bob_approves_and_both_see_it_finish()
    {
        await PolicyAsync(PolicyInput.Default with { RequiredApprovals = 1 });
        try
        {
            var alice = await PersonAsync("alice-" + Guid.NewGuid().ToString("n")[..6]);
            var bob = await PersonAsync("bob-" + Guid.NewGuid().ToString("n")[..6]);

            // the environment page shows the policy and the window state
            await GoAsync(alice, $"/repos/example/at/{App.MainHead}/env/gate-prod");
            await Expect(alice.Locator("#policy")).ToHaveAttributeAsync("data-required", "1");
            await Expect(alice.Locator("#window-state")).ToContainTextAsync("window open");
            await Expect(alice.Locator("#approvers")).ToContainTextAsync("not the requester");
            await alice.ClickAsync("#deploy");
            await alice.ClickAsync("#confirm-deploy");   // gate-prod looks like production
            await Expect(alice.Locator("#deployment")).ToHaveAttributeAsync("data-status", "awaiting-approval", new() { Timeout = 30_000 });
            await InteractiveAsync(alice);
            var id = (await alice.Locator("#deployment").GetAttributeAsync("data-id"))!;
            await Expect(alice.Locator("#approval-note")).ToContainTextAsync("someone else must approve");
            await Expect(alice.Locator("#approve")).ToHaveCountAsync(0);
            await Expect(alice.Locator("#what-will-run #compare-link")).ToHaveAttributeAsync("href", $"/repos/example/env/gate-prod/compare/deployed/{App.MainHead}");
            await Expect(alice.Locator("#config-summary")).ToContainTextAsync("the snapshot of this request");
            await ShotAsync(alice, "approval-01-alice-waits.png", fullPage: true);

            // Bob finds it in his inbox (with a count in the navigation) and approves it
            await GoAsync(bob, "/");
            await Expect(bob.Locator($"#inbox .inbox-item[data-id='{id}']")).ToBeVisibleAsync();
            await Expect(bob.Locator("#inbox-count")).ToBeVisibleAsync();
            await bob.ClickAsync($"#inbox .inbox-item[data-id='{id}'] a");
            await Expect(bob.Locator("#approve")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await InteractiveAsync(bob);
            await bob.FillAsync("#approval-comment", "checked the preview");
            await ShotAsync(bob, "approval-02-bob-approves.png", fullPage: true);
            await bob.ClickAsync("#approve");

            // both see it run and finish, and its page tells the whole story
            foreach (var person in new[] { alice, bob })
                await Expect(person.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
            await GoAsync(alice, $"/deployments/{id}");
            foreach (var step in new[] { "requested", "approved", "queued", "started", "succeeded" })
                await Expect(alice.Locator($"#steps .step[data-step='{step}']")).ToHaveCountAsync(1);
            await Expect(alice.Locator("#steps .step[data-step='approved']")).ToContainTextAsync("checked the preview");
            foreach (var person in new[] { alice, bob })
            {
                await GoAsync(person, "/deployments");
                await Expect(person.Locator($".history-row:has(a[data-id='{id}']), .history-row[data-id='{id}']")).ToContainTextAsync("succeeded");
            }

            // a redeploy of this (now current) deployment goes through the policy again: it waits for approval
            await GoAsync(alice, $"/deployments/{id}");
            await alice.ClickAsync("#redeploy");
            await Expect(alice.Locator("#redeploy-what")).ToContainTextAsync(App.MainHead[..10]);
            await alice.ClickAsync("#redeploy-confirm");
            await Expect(alice.Locator("#deployment")).ToHaveAttributeAsync("data-status", "awaiting-approval", new() { Timeout = 30_000 });
            await Expect(alice.Locator("#request-kind")).ToContainTextAsync($"redeploy of #{id}");
            var again = (await alice.Locator("#deployment").GetAttributeAsync("data-id"))!;
            // nothing may stay waiting: Alice withdraws it
            await InteractiveAsync(alice);
            await alice.ClickAsync("#cancel");
            await Expect(alice.Locator("#deployment")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 30_000 });
            Assert.NotEqual(id, again);
        }
        finally
        {
            await PolicyAsync(PolicyInput.Default);
        }
    }

    [Fact]
    public async Task An_admin_edits_a_policy_in_the_dialog_and_bad_input_is_refused_with_the_reason()
    {
        var admin = await SignedInPageAsync();
        await GoAsync(admin, $"/repos/example/at/{App.MainHead}/env/gate-window");
        await admin.ClickAsync("#edit-policy");
        await admin.FillAsync("#policy-timezone", "Europe/Atlantis");
        await admin.ClickAsync("#policy-save");
        await Expect(admin.Locator("#policy-error")).ToContainTextAsync("Unknown time zone \"Europe/Atlantis\"");
        await admin.FillAsync("#policy-timezone", "Europe/Berlin");
        await admin.FillAsync("#policy-approvers", "nobody-one");
        await admin.FillAsync("#policy-required", "2");
        await admin.ClickAsync("#policy-save");
        await Expect(admin.Locator("#policy-error")).ToContainTextAsync("only 1 person may approve");
        await admin.FillAsync("#policy-approvers", "");
        await admin.FillAsync("#policy-required", "0");
        await admin.FillAsync("#policy-windows", "Mon-Sun 00:00-24:00");
        await admin.ClickAsync("#policy-save");
        await Expect(admin.Locator("#policy-error")).ToHaveCountAsync(0);
        await Expect(admin.Locator("#policy-summary")).ToContainTextAsync("Mon-Sun 00:00-24:00 (Europe/Berlin)");
        await Expect(admin.Locator("#window-state")).ToContainTextAsync("window open");
        await ShotAsync(admin, "approval-03-policy.png");
        await PolicyAsync(PolicyInput.Default, "gate-window");
    }
}
