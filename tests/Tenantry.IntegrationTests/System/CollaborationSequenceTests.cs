using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// Seed 004's "typical developer sequence", end to end over HTTP: load workspaces, self-create,
/// set the default, list and create roles, invite collaborators, change their roles after they
/// join, let members leave. Every list item is checked field by field after every step.
/// </summary>
public sealed class CollaborationSequenceTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private static readonly string[] s_itemFields =
    [
        "userBizId", "workspaceBizId", "workspaceName", "workspaceKind", "institutionBizId", "workspaceRoleBizId", "workspaceRoleName",
        "joinSource", "isOwner", "isDefault", "enterable", "defaultEligible", "policyConfig", "createdAt", "updatedAt",
    ];

    private static readonly string[] s_memberFields =
    [
        "userBizId", "email", "displayName", "workspaceRoleBizId", "workspaceRoleName", "isOwner", "joinSource", "status", "createdAt", "updatedAt",
    ];

    private static readonly string[] s_roleFields = ["roleBizId", "roleName", "description", "builtIn", "permissions", "createdAt", "updatedAt"];

    private static readonly string[] s_allPermissions =
        ["workspace.read", "workspace.update", "members.read", "members.invite", "members.remove", "members.role.change", "roles.manage", "audit.read", "policies.manage", "webhooks.manage"];

    private readonly SystemApi _api = app.System;

    private sealed record Workspace(string Id, string Name, string InstitutionId, Dictionary<string, string> Roles);

    [Fact]
    public async Task Two_users_owner_and_invited_collaborator()
    {
        var ada = await _api.SignUpAsync(SystemApi.NewEmail("ada"), "Ada");
        var bob = await _api.SignUpVerifiedAsync(SystemApi.NewEmail("bob"), "Bob");

        // 1. Load: nothing yet, so the product offers self-service setup.
        Assert.Empty(await _api.ListMineAsync(ada));

        // 2. Self-create.
        var ws = await CreateAsync(ada, "Ada Labs");
        AssertSingleItem(await _api.ListMineAsync(ada), ada, ws, "Owner", "CREATED", isOwner: true, isDefault: true);

        // 3. Set the preferred default (it already is; the answer is the list item).
        var item = (await _api.PostAsync($"/web/v1/tenant/workspaces/{ws.Id}/default", token: ada.AccessToken)).AssertOk("2.0.0");
        AssertItem(item, ada, ws, "Owner", "CREATED", isOwner: true, isDefault: true);

        // 4. List roles: the two built-ins, then create a custom one.
        var roles = await _api.RolesAsync(ada, ws.Id);
        Assert.Equal(["Owner", "Member"], roles.Select(r => r.Text("roleName")));
        AssertRole(roles[0], "Owner", "Full control of the workspace", builtIn: true, s_allPermissions);
        AssertRole(roles[1], "Member", "Can view the workspace and its members", builtIn: true, ["workspace.read", "members.read"]);
        var editor = (await _api.CreateRoleAsync(ada, ws.Id, "Editor", "members.read", "workspace.update", "workspace.read")).AssertOk("1.0.0");
        AssertRole(editor, "Editor", null, builtIn: false, ["workspace.read", "workspace.update", "members.read"]);
        ws.Roles["Editor"] = editor.Text("roleBizId");
        roles = await _api.RolesAsync(ada, ws.Id);
        Assert.Equal(["Owner", "Member", "Editor"], roles.Select(r => r.Text("roleName")));
        Assert.Equal(editor.GetRawText(), roles[2].GetRawText());

        // 5. Invite a collaborator in the custom role.
        var invitation = (await _api.InviteAsync(ada, ws.Id, bob.Email.ToUpperInvariant(), ws.Roles["Editor"])).AssertOk("1.0.0");
        Assert.Equal(["invitationBizId", "workspaceBizId", "email", "roleBizId", "status", "expiresAt", "createdAt"], invitation.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ws.Id, invitation.Text("workspaceBizId"));
        Assert.Equal(ws.Roles["Editor"], invitation.Text("roleBizId"));
        Assert.Equal("PENDING", invitation.Text("status"));
        var mine = Assert.Single(await _api.MyInvitationsAsync(bob));
        Assert.Equal(invitation.Text("invitationBizId"), mine.Text("invitationBizId"));
        Assert.Equal("Ada Labs", mine.Text("workspaceName"));
        Assert.Equal("Editor", mine.Text("roleName"));
        Assert.Empty(await _api.ListMineAsync(bob));

        // 6. The collaborator joins: INVITED, in the invited role, default because it is their first.
        var joined = (await _api.AcceptAsync(bob, invitation.Text("invitationBizId"))).AssertOk("2.0.0");
        AssertItem(joined, bob, ws, "Editor", "INVITED", isOwner: false, isDefault: true);
        AssertSingleItem(await _api.ListMineAsync(bob), bob, ws, "Editor", "INVITED", isOwner: false, isDefault: true);
        AssertSingleItem(await _api.ListMineAsync(ada), ada, ws, "Owner", "CREATED", isOwner: true, isDefault: true);
        Assert.Empty(await _api.MyInvitationsAsync(bob));
        var members = await _api.MembersAsync(ada, ws.Id);
        Assert.Equal(2, members.Length);
        AssertMember(members[0], ada, "Ada", ws, "Owner", "CREATED", isOwner: true);
        AssertMember(members[1], bob, "Bob", ws, "Editor", "INVITED", isOwner: false);

        // 7. Update their role after they joined.
        var changed = (await _api.ChangeRoleAsync(ada, ws.Id, bob.UserId, ws.Roles["Member"])).AssertOk("1.0.0");
        AssertMember(changed, bob, "Bob", ws, "Member", "INVITED", isOwner: false);
        AssertSingleItem(await _api.ListMineAsync(bob), bob, ws, "Member", "INVITED", isOwner: false, isDefault: true);

        // 8. The member leaves; the owner cannot.
        (await _api.LeaveAsync(bob, ws.Id)).AssertOk();
        Assert.Empty(await _api.ListMineAsync(bob));
        (await _api.LeaveAsync(ada, ws.Id)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER");
        AssertMember(Assert.Single(await _api.MembersAsync(ada, ws.Id)), ada, "Ada", ws, "Owner", "CREATED", isOwner: true);
        AssertSingleItem(await _api.ListMineAsync(ada), ada, ws, "Owner", "CREATED", isOwner: true, isDefault: true);
    }

    [Fact]
    public async Task Three_users_roles_promotion_ownership_and_leaving()
    {
        var ada = await _api.SignUpAsync(SystemApi.NewEmail("ada"), "Ada");
        var bob = await _api.SignUpVerifiedAsync(SystemApi.NewEmail("bob"), "Bob");
        var cy = await _api.SignUpVerifiedAsync(SystemApi.NewEmail("cy"), "Cy");

        var ws = await CreateAsync(ada, "Team Space");
        // Cy has a workspace of their own, so joining does not change their default.
        var cyOwn = await CreateAsync(cy, "Cy Solo");
        var inviter = (await _api.CreateRoleAsync(ada, ws.Id, "Inviter", "workspace.read", "members.read", "members.invite")).AssertOk();
        ws.Roles["Inviter"] = inviter.Text("roleBizId");

        // Ada invites Bob as Inviter; Bob (not an owner) invites Cy as Member.
        await _api.JoinAsync(ada, ws.Id, bob, "Inviter");
        AssertSingleItem(await _api.ListMineAsync(bob), bob, ws, "Inviter", "INVITED", isOwner: false, isDefault: true);
        var cyInvitation = await _api.InvitedAsync(bob, ws.Id, cy.Email, ws.Roles["Member"]);
        var pending = (await _api.GetAsync($"/web/v1/workspaces/{ws.Id}/invitations", ada.AccessToken)).AssertOk("1.0.0");
        Assert.Equal(cyInvitation, Assert.Single(pending.EnumerateArray()).Text("invitationBizId"));
        var cyItem = (await _api.AcceptAsync(cy, cyInvitation)).AssertOk("2.0.0");
        AssertItem(cyItem, cy, ws, "Member", "INVITED", isOwner: false, isDefault: false);
        var cyList = await _api.ListMineAsync(cy);
        Assert.Equal(2, cyList.Length);
        AssertItem(cyList[0], cy, cyOwn, "Owner", "CREATED", isOwner: true, isDefault: true);
        AssertItem(cyList[1], cy, ws, "Member", "INVITED", isOwner: false, isDefault: false);

        var members = await _api.MembersAsync(ada, ws.Id);
        Assert.Equal(3, members.Length);
        AssertMember(members[0], ada, "Ada", ws, "Owner", "CREATED", isOwner: true);
        AssertMember(members[1], bob, "Bob", ws, "Inviter", "INVITED", isOwner: false);
        AssertMember(members[2], cy, "Cy", ws, "Member", "INVITED", isOwner: false);
        // Paging: the same members one at a time, with the total in a header.
        var second = await _api.GetAsync($"/web/v1/workspaces/{ws.Id}/members?page=2&pageSize=1", ada.AccessToken);
        AssertMember(Assert.Single(second.AssertOk().EnumerateArray()), bob, "Bob", ws, "Inviter", "INVITED", isOwner: false);
        Assert.Equal("3", second.Header("X-Total-Count"));

        // Ada makes Cy a second owner; Cy's list shows it.
        AssertMember((await _api.ChangeRoleAsync(ada, ws.Id, cy.UserId, ws.Roles["Owner"])).AssertOk(), cy, "Cy", ws, "Owner", "INVITED", isOwner: true);
        cyList = await _api.ListMineAsync(cy);
        AssertItem(cyList[1], cy, ws, "Owner", "INVITED", isOwner: true, isDefault: false);

        // Ada hands her ownership to Bob: Bob is Owner, Ada is Member.
        var transferred = (await _api.TransferAsync(ada, ws.Id, bob.UserId)).AssertOk("1.0.0");
        AssertMember(transferred, bob, "Bob", ws, "Owner", "INVITED", isOwner: true);
        AssertSingleItem(await _api.ListMineAsync(ada), ada, ws, "Member", "CREATED", isOwner: false, isDefault: true);
        AssertSingleItem(await _api.ListMineAsync(bob), bob, ws, "Owner", "INVITED", isOwner: true, isDefault: true);

        // Ada leaves: her list is empty and she has no default. Cy leaves: Cy keeps their own default.
        (await _api.LeaveAsync(ada, ws.Id)).AssertOk();
        Assert.Empty(await _api.ListMineAsync(ada));
        (await _api.LeaveAsync(cy, ws.Id)).AssertOk();
        AssertSingleItem(await _api.ListMineAsync(cy), cy, cyOwn, "Owner", "CREATED", isOwner: true, isDefault: true);

        // Bob is the last owner now.
        (await _api.LeaveAsync(bob, ws.Id)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER");
        AssertMember(Assert.Single(await _api.MembersAsync(bob, ws.Id)), bob, "Bob", ws, "Owner", "INVITED", isOwner: true);
        AssertSingleItem(await _api.ListMineAsync(bob), bob, ws, "Owner", "INVITED", isOwner: true, isDefault: true);
    }

    private async Task<Workspace> CreateAsync(TestUser owner, string name)
    {
        var id = await _api.CreateWorkspaceAsync(owner, name);
        var item = (await _api.ListMineAsync(owner)).Item("workspaceBizId", id);
        var roles = (await _api.RolesAsync(owner, id)).ToDictionary(r => r.Text("roleName"), r => r.Text("roleBizId"));
        return new Workspace(id, name, item.Text("institutionBizId"), roles);
    }

    private static void AssertSingleItem(JsonElement[] items, TestUser user, Workspace ws, string role, string joinSource, bool isOwner, bool isDefault) =>
        AssertItem(Assert.Single(items), user, ws, role, joinSource, isOwner, isDefault);

    private static void AssertItem(JsonElement item, TestUser user, Workspace ws, string role, string joinSource, bool isOwner, bool isDefault)
    {
        Assert.Equal(s_itemFields, item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(user.UserId, item.Text("userBizId"));
        Assert.Equal(ws.Id, item.Text("workspaceBizId"));
        Assert.Equal(ws.Name, item.Text("workspaceName"));
        Assert.Equal("LIVE", item.Code("workspaceKind"));
        Assert.Equal(ws.InstitutionId, item.Text("institutionBizId"));
        Assert.Equal(ws.Roles[role], item.Text("workspaceRoleBizId"));
        Assert.Equal(role, item.Text("workspaceRoleName"));
        Assert.Equal(joinSource, item.Code("joinSource"));
        Assert.Equal(joinSource == "CREATED" ? 10040101 : 10040102, item.GetProperty("joinSource").GetProperty("value").GetInt32());
        Assert.Equal(isOwner, item.Flag("isOwner"));
        Assert.Equal(isDefault, item.Flag("isDefault"));
        Assert.True(item.Flag("enterable"));
        Assert.True(item.Flag("defaultEligible"));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("policyConfig").ValueKind);
        Assert.True(item.GetProperty("createdAt").GetDateTimeOffset() <= item.GetProperty("updatedAt").GetDateTimeOffset());
    }

    private static void AssertMember(JsonElement member, TestUser user, string displayName, Workspace ws, string role, string joinSource, bool isOwner)
    {
        Assert.Equal(s_memberFields, member.EnumerateObject().Select(p => p.Name));
        Assert.Equal(user.UserId, member.Text("userBizId"));
        Assert.Equal(user.Email, member.Text("email"));
        Assert.Equal(displayName, member.Text("displayName"));
        Assert.Equal(ws.Roles[role], member.Text("workspaceRoleBizId"));
        Assert.Equal(role, member.Text("workspaceRoleName"));
        Assert.Equal(isOwner, member.Flag("isOwner"));
        Assert.Equal(["code", "value", "label", "description"], member.GetProperty("joinSource").EnumerateObject().Select(p => p.Name));
        Assert.Equal(joinSource, member.Code("joinSource"));
        Assert.Equal("ACTIVE", member.Code("status"));
        Assert.Equal(10040201, member.GetProperty("status").GetProperty("value").GetInt32());
        Assert.True(member.GetProperty("createdAt").GetDateTimeOffset() <= member.GetProperty("updatedAt").GetDateTimeOffset());
    }

    private static void AssertRole(JsonElement role, string name, string? description, bool builtIn, string[] permissions)
    {
        Assert.Equal(s_roleFields, role.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("role_", role.Text("roleBizId"));
        Assert.Equal(name, role.Text("roleName"));
        Assert.Equal(description, role.GetProperty("description").GetString());
        Assert.Equal(builtIn, role.Flag("builtIn"));
        Assert.Equal(permissions, role.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.True(role.GetProperty("createdAt").GetDateTimeOffset() <= role.GetProperty("updatedAt").GetDateTimeOffset());
    }
}
