using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tenantry.BrowserTests.ConsoleSteps;

namespace Tenantry.BrowserTests;

/// <summary>
/// Scenario 2: the owner makes a custom role in the matrix editor and gives it to a colleague; the colleague's pages
/// change accordingly; a forbidden action is not offered, and a forged form post for it gets 403.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RolesScenarioTests(ConsoleServer server)
{
    [Fact]
    public async Task A_custom_role_from_the_matrix_changes_the_colleagues_pages_and_a_forged_post_gets_403()
    {
        var owner = await server.NewPageAsync();
        var ownerEmail = NewEmail("owner");
        await SignUpAsync(owner, "Olivia Owner", ownerEmail);
        var workspaceId = await CreateWorkspaceAsync(owner, "Matrix Works");
        var colleagueEmail = NewEmail("colleague");
        var colleague = await InviteAndJoinAsync(server, owner, workspaceId, colleagueEmail, "Carl Colleague");

        // As a Member: the list, no invitations, no audit trail, nothing to change.
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Name = "Members", Level = 2 })).ToBeVisibleAsync();
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Name = "Invite someone" })).ToHaveCountAsync(0);
        await Expect(colleague.GetByRole(AriaRole.Link, new() { Name = "Audit events" })).ToHaveCountAsync(0);

        // The owner creates "Inviter" (workspace.read, members.read, members.invite), then adds audit.read in the matrix.
        await owner.GotoAsync($"/console/workspaces/{workspaceId}/roles");
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Permissions of each role" })).ToBeVisibleAsync();
        await owner.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true }).FillAsync("Inviter");
        foreach (var permission in new[] { "workspace.read", "members.read", "members.invite" })
        {
            // With the keyboard (Space on the focused box), then waiting for the box to show it (see TickAsync).
            var box = owner.Locator($"#new-{permission.Replace(".", "\\.")}");
            await box.PressAsync(" ");
            await Expect(box).ToBeCheckedAsync();
        }
        await owner.GetByRole(AriaRole.Button, new() { Name = "Create role" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("The role was created.");
        // Built-in roles are read-only: no checkbox in their columns.
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Owner: members.read" })).ToHaveCountAsync(0);
        var auditCell = owner.GetByRole(AriaRole.Checkbox, new() { Name = "Inviter: audit.read" });
        await Expect(auditCell).Not.ToBeCheckedAsync();
        await auditCell.PressAsync(" ");
        await Expect(auditCell).ToBeCheckedAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save Inviter" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("The role was saved.");
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Inviter: audit.read" })).ToBeCheckedAsync();
        await Expect(owner.GetByRole(AriaRole.Checkbox, new() { Name = "Inviter: members.remove" })).Not.ToBeCheckedAsync();
        await AssertAccessibleAsync(owner);
        await ScreenshotAsync(owner, "roles");

        // The owner gives the colleague the role on the member list.
        await owner.GotoAsync($"/console/workspaces/{workspaceId}");
        await ChooseAsync(owner.GetByRole(AriaRole.Combobox, new() { Name = "Role of Carl Colleague", Exact = true }), "Inviter");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Change the role of Carl Colleague" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("The role was changed.");
        var roleOfColleague = owner.GetByRole(AriaRole.Combobox, new() { Name = "Role of Carl Colleague", Exact = true });
        await Expect(roleOfColleague.Locator("[role='option'][aria-selected='true']")).ToHaveTextAsync("Inviter");

        // The colleague's pages follow: invitations and the audit trail appear; removing members is still not offered.
        await colleague.ReloadAsync();
        await Expect(colleague.GetByRole(AriaRole.Heading, new() { Name = "Invite someone" })).ToBeVisibleAsync();
        await Expect(colleague.GetByRole(AriaRole.Link, new() { Name = "Audit events" })).ToBeVisibleAsync();
        await Expect(colleague.GetByRole(AriaRole.Button, new() { Name = "Remove Olivia Owner" })).ToHaveCountAsync(0);
        await colleague.GetByRole(AriaRole.Link, new() { Name = "Audit events" }).ClickAsync();
        await Expect(colleague.Locator("tr[data-action='member.role_changed']").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(colleague);
        await ScreenshotAsync(colleague, "audit");

        // A forged post of the members form (the colleague's own cookies and antiforgery token) asking to remove the owner.
        var api = await SystemApiClient.SignInAsync(server, ownerEmail);
        var ownerId = await api.UserIdAsync();
        await colleague.GotoAsync($"/console/workspaces/{workspaceId}");
        var token = await colleague.Locator("form[action] input[name='__RequestVerificationToken']").First.GetAttributeAsync("value");
        var forged = await colleague.Context.APIRequest.PostAsync($"/console/workspaces/{workspaceId}", new()
        {
            Form = FormOf(colleague.Context.APIRequest.CreateFormData(), ("_handler", "members"), ("__RequestVerificationToken", token!), ("Action", $"remove:{ownerId}")),
            Headers = new Dictionary<string, string> { ["Origin"] = server.BaseAddress.ToString().TrimEnd('/') },
        });
        Assert.Equal(403, forged.Status);
        Assert.Contains("You do not have permission to do this", await forged.TextAsync(), StringComparison.Ordinal);

        // What the API answers: the colleague holds Inviter with its four permissions, and the owner is still a member.
        var colleagueApi = await SystemApiClient.SignInAsync(server, colleagueEmail);
        var item = Assert.Single(await colleagueApi.MyWorkspacesAsync(), w => w.GetProperty("workspaceBizId").GetString() == workspaceId);
        Assert.Equal("Inviter", item.GetProperty("workspaceRoleName").GetString());
        var (status, members) = await colleagueApi.GetAsync($"/workspaces/{workspaceId}/members");
        Assert.Equal(200, status);
        Assert.Contains(members.GetProperty("data").EnumerateArray(), m => m.GetProperty("userBizId").GetString() == ownerId);
        var (auditStatus, _) = await colleagueApi.GetAsync($"/workspaces/{workspaceId}/audit-events");
        Assert.Equal(200, auditStatus);
        var (roles, rolesEnvelope) = await api.GetAsync($"/workspaces/{workspaceId}/roles");
        Assert.Equal(200, roles);
        var inviter = Assert.Single(rolesEnvelope.GetProperty("data").EnumerateArray(), r => r.GetProperty("roleName").GetString() == "Inviter");
        Assert.Equal(["workspace.read", "members.read", "members.invite", "audit.read"],
            inviter.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    private static IFormData FormOf(IFormData form, params (string Name, string Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }
        return form;
    }
}
