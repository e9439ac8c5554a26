using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tenantry.BrowserTests.ConsoleSteps;

namespace Tenantry.BrowserTests;

/// <summary>Scenario 1: sign up, create a workspace, invite a colleague who signs up from the email's link, accepts, and lands in it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class InvitationScenarioTests(ConsoleServer server)
{
    [Fact]
    public async Task A_new_user_invites_a_colleague_who_signs_up_from_the_link_accepts_and_lands_in_the_workspace()
    {
        var errorsBefore = server.Errors().Count;
        var owner = await server.NewPageAsync();
        var ownerEmail = NewEmail("ada");
        await SignUpAsync(owner, "Ada Lovelace", ownerEmail);
        await Expect(owner).ToHaveURLAsync(new Regex("/console$"));
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My workspaces");
        await Expect(owner.GetByText("You do not belong to any workspace yet.")).ToBeVisibleAsync();

        var workspaceId = await CreateWorkspaceAsync(owner, "Ada Labs");

        // Verify the address with the code of the sign-up email (read from the pickup folder).
        await owner.GotoAsync("/console");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Email address not verified" }).ClickAsync();
        var code = VerificationCode(await EmailAsync(server, ownerEmail, "Verify your email address"));
        await owner.GetByLabel("Verification code").FillAsync("000000" == code ? "111111" : "000000");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        await owner.GetByLabel("Verification code").FillAsync(code);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Your email address is verified.");
        var (meStatus, ownerMe) = await (await SystemApiClient.SignInAsync(server, ownerEmail)).GetAsync("/auth/me");
        Assert.Equal(200, meStatus);
        Assert.True(ownerMe.GetProperty("data").GetProperty("emailVerified").GetBoolean());
        await owner.GotoAsync($"/console/workspaces/{workspaceId}");

        var colleagueEmail = NewEmail("grace");
        await owner.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true }).FillAsync(colleagueEmail);
        await ChooseAsync(owner.GetByRole(AriaRole.Combobox, new() { Name = "Role", Exact = true }), "Member");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync($"An invitation was sent to {colleagueEmail}.");
        await Expect(owner.Locator($"tr[data-invitation='{colleagueEmail}']")).ToContainTextAsync("Pending");
        await AssertAccessibleAsync(owner);
        await ScreenshotAsync(owner, "workspace-members");

        // The email, as the outbox wrote it: its link is the console's accept page, the token in the fragment.
        var email = await InvitationEmailAsync(server, colleagueEmail);
        var link = AcceptLink(email);
        Assert.StartsWith($"{server.BaseAddress}console/invitations/inv_", link, StringComparison.Ordinal);

        var colleague = await server.NewPageAsync();
        await colleague.GotoAsync(link);
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Invitation");
        // The page never names the workspace to someone it does not know yet.
        await Expect(colleague.Locator("main")).Not.ToContainTextAsync("Ada Labs");
        // The token left the address bar (it stays in this tab only).
        Assert.DoesNotContain("token=", colleague.Url, StringComparison.Ordinal);
        await AssertAccessibleAsync(colleague);
        await ScreenshotAsync(colleague, "invitation");

        await colleague.GetByRole(AriaRole.Link, new() { Name = "Sign up" }).First.ClickAsync();
        await colleague.GetByLabel("Display name").FillAsync("Grace Hopper");
        await colleague.GetByLabel("Email").FillAsync(colleagueEmail);
        await colleague.GetByLabel("Password").FillAsync(Password);
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Expect(colleague).ToHaveURLAsync(new Regex("/console/invitations/inv_"));
        await Expect(colleague.GetByLabel("Invitation token")).Not.ToBeEmptyAsync();
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        await Expect(colleague).ToHaveURLAsync(new Regex($"/console/workspaces/{workspaceId}$"));
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ada Labs");

        // What the API answers: the colleague is a Member of the workspace (and the token proved the address).
        var api = await SystemApiClient.SignInAsync(server, colleagueEmail);
        var item = Assert.Single(await api.MyWorkspacesAsync(), w => w.GetProperty("workspaceBizId").GetString() == workspaceId);
        Assert.Equal("Ada Labs", item.GetProperty("workspaceName").GetString());
        Assert.Equal("Member", item.GetProperty("workspaceRoleName").GetString());
        var (status, me) = await api.GetAsync("/auth/me");
        Assert.Equal(200, status);
        Assert.True(me.GetProperty("data").GetProperty("emailVerified").GetBoolean());

        // The owner's member list now shows the colleague, who joined by invitation.
        await owner.ReloadAsync();
        await Expect(owner.Locator($"tr[data-member='{colleagueEmail}']")).ToContainTextAsync("Invited");
        await Expect(owner.GetByText("No invitation is pending.")).ToBeVisibleAsync();
        // Searching the members: by part of the name, case-insensitively; a search that matches nobody shows nobody.
        await owner.GetByRole(AriaRole.Textbox, new() { Name = "Search members" }).FillAsync("HOPPER");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(owner.Locator("tbody tr[data-member]")).ToHaveCountAsync(1);
        await Expect(owner.Locator($"tr[data-member='{colleagueEmail}']")).ToBeVisibleAsync();
        await Expect(owner.GetByText("1 members")).ToBeVisibleAsync();
        await owner.GetByRole(AriaRole.Textbox, new() { Name = "Search members" }).FillAsync("nobody-by-this-name");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(owner.Locator("tbody tr[data-member]")).ToHaveCountAsync(0);

        await colleague.GotoAsync("/console");
        await Expect(colleague.Locator($"tr[data-workspace='{workspaceId}']")).ToContainTextAsync("Member");
        await AssertAccessibleAsync(colleague);
        await ScreenshotAsync(colleague, "my-workspaces");
        Assert.Equal(errorsBefore, server.Errors().Count);
    }
}
