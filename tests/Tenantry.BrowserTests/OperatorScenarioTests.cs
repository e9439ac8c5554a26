using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tenantry.BrowserTests.ConsoleSteps;

namespace Tenantry.BrowserTests;

/// <summary>Scenario 4: the operator suspends the workspace in the operator area; members see it not enterable.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OperatorScenarioTests(ConsoleServer server)
{
    [Fact]
    public async Task The_operator_suspends_a_workspace_and_its_members_see_it_not_enterable()
    {
        var owner = await server.NewPageAsync();
        var ownerEmail = NewEmail("suspended-owner");
        await SignUpAsync(owner, "Sam Suspended", ownerEmail);
        var workspaceId = await CreateWorkspaceAsync(owner, "Soon Suspended");

        var operatorPage = await server.NewPageAsync();
        await operatorPage.GotoAsync("/console/admin");
        await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Operator");
        // A wrong key is refused and opens nothing.
        await operatorPage.GetByLabel("Operator key").FillAsync("not-the-operator-key-not-the-operator-key");
        await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Alert)).ToContainTextAsync("That is not the operator key.");
        var direct = await operatorPage.GotoAsync($"/console/admin/workspace?id={workspaceId}");
        Assert.DoesNotContain("Soon Suspended", await operatorPage.ContentAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/console/admin", direct!.Url, StringComparison.Ordinal);

        await operatorPage.GetByLabel("Operator key").FillAsync(ConsoleServer.AdminKey);
        await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Outbox" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(operatorPage);
        await ScreenshotAsync(operatorPage, "admin");
        var search = operatorPage.GetByRole(AriaRole.Search, new() { Name = "Search users, institutions and workspaces" });
        await search.GetByRole(AriaRole.Textbox, new() { Name = "ID, email, name or slug" }).FillAsync(workspaceId);
        await search.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await operatorPage.Locator("table[data-results='workspaces']").GetByRole(AriaRole.Link, new() { Name = "Soon Suspended" }).ClickAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Soon Suspended");
        // Policies and description: a bad CIDR is refused with its reason, then a description is kept.
        await operatorPage.GetByLabel("IP allow-list (one address or CIDR block per line)").FillAsync("300.1.2.3");
        await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Save policies" }).ClickAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not a valid IP address or CIDR block");
        await operatorPage.GetByLabel("IP allow-list (one address or CIDR block per line)").FillAsync("");
        await operatorPage.GetByRole(AriaRole.Textbox, new() { Name = "Description" }).FillAsync("Managed by the platform team");
        await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Save policies" }).ClickAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        await Expect(operatorPage.GetByRole(AriaRole.Textbox, new() { Name = "Description" })).ToHaveValueAsync("Managed by the platform team");
        await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Suspend workspace" }).ClickAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        await Expect(operatorPage.Locator("dd[data-status]")).ToHaveTextAsync("Suspended");
        await Expect(operatorPage.GetByRole(AriaRole.Button, new() { Name = "Reactivate workspace" })).ToBeVisibleAsync();
        await ScreenshotAsync(operatorPage, "admin-workspace");

        // The owner (a member like any other here) sees it not enterable, and why.
        await owner.GotoAsync("/console");
        await Expect(owner.Locator($"tr[data-workspace='{workspaceId}'] .enterable")).ToContainTextAsync("This workspace is suspended");
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Soon Suspended" })).ToHaveCountAsync(0);
        var response = await owner.GotoAsync($"/console/workspaces/{workspaceId}");
        Assert.Equal(403, response!.Status);
        await Expect(owner.GetByRole(AriaRole.Alert)).ToContainTextAsync("This workspace is suspended");

        // What the API answers: not enterable, not default-eligible.
        var api = await SystemApiClient.SignInAsync(server, ownerEmail);
        var item = Assert.Single(await api.MyWorkspacesAsync(), w => w.GetProperty("workspaceBizId").GetString() == workspaceId);
        Assert.False(item.GetProperty("enterable").GetBoolean());
        Assert.False(item.GetProperty("defaultEligible").GetBoolean());
        var (status, envelope) = await api.GetAsync($"/workspaces/{workspaceId}/members");
        Assert.Equal(403, status);
        Assert.Equal("WORKSPACE_SUSPENDED", envelope.GetProperty("data").GetProperty("reason").GetString());
    }
}
