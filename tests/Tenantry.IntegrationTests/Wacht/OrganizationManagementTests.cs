using System.Net;
using Tenantry.Domain.Institutions;
using Tenantry.IntegrationTests.Infrastructure;
using static Tenantry.IntegrationTests.Wacht.WorkspaceManagementTests;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// Organizations as Wacht's SDK manages them: creation, the fixed roles, and invitations (every Tenantry invitation is to a
/// workspace: the SDK's organization invitation routes name it with <c>workspace_id</c>), accepted with the email's token.
/// </summary>
public sealed class OrganizationManagementTests(MailApp app) : IClassFixture<MailApp>
{
    private static readonly string[] InvitationKeys =
        ["id", "created_at", "updated_at", "organization_id", "email", "initial_organization_role", "inviter", "workspace", "initial_workspace_role", "expired"];

    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private async Task<(TestUser Owner, string WorkspaceId, string OrganizationId)> OrganizationAsync()
    {
        var owner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner, "Org Workspace");
        return (owner, workspaceId, await app.InstitutionOfAsync(workspaceId));
    }

    private Task<WachtResponse> InviteAsync(TestUser caller, string organizationId, params (string, string)[] fields) =>
        _wacht.PostAsync($"/organizations/{organizationId}/invitations", caller.SessionCookie, Form(fields));

    private async Task<string[]> PendingAsync(TestUser caller, string organizationId, string workspaceId) =>
        (await _wacht.GetAsync($"/organizations/{organizationId}/invitations?workspace_id={workspaceId}", caller.SessionCookie)).AssertOk()
            .EnumerateArray().Select(i => i.Text("email")).ToArray();

    [Fact]
    public async Task A_user_creates_one_organization_with_its_first_workspace()
    {
        var founder = await _system.SignUpAsync();

        var created = (await _wacht.PostAsync("/organizations", founder.SessionCookie, Form(("name", "Acme Corp")))).AssertOk();

        Assert.Equal(["organization", "membership"], created.EnumerateObject().Select(p => p.Name).ToArray());
        var organization = created.GetProperty("organization");
        Assert.Equal("Acme Corp", organization.Text("name"));
        Assert.Equal("", organization.Text("description"));
        var role = Assert.Single(created.GetProperty("membership").GetProperty("roles").EnumerateArray());
        Assert.Equal(("orgrole_owner", "Owner", organization.Text("id")), (role.Text("id"), role.Text("name"), role.Text("organization_id")));
        Assert.Equal(organization.Text("id"), Assert.Single(await _wacht.OrganizationMembershipsAsync(founder)).GetProperty("organization").Text("id"));
        var workspace = Assert.Single(await _wacht.WorkspaceMembershipsAsync(founder)).GetProperty("workspace");
        Assert.Equal(("Acme Corp", organization.Text("id")), (workspace.Text("name"), workspace.GetProperty("organization").Text("id")));

        Assert.Equal(Catalog.Text("en", "Error.AlreadyOwnsWorkspace"),
            (await _wacht.PostAsync("/organizations", founder.SessionCookie, Form(("name", "Second")))).AssertError(HttpStatusCode.Conflict));
        var other = await _system.SignUpAsync();
        (await _wacht.PostAsync("/organizations", other.SessionCookie, Form(("name", "")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/organizations", other.SessionCookie, Form(("name", "Described"), ("description", "Ours")))).AssertError(HttpStatusCode.BadRequest);
        Assert.Empty(await _wacht.OrganizationMembershipsAsync(other));
    }

    [Fact]
    public async Task An_organizations_roles_are_owner_admin_and_member_for_its_members_only()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var member = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);

        var roles = (await _wacht.GetAsync($"/organizations/{organizationId}/roles", member.SessionCookie)).AssertOk().EnumerateArray().ToArray();

        Assert.Equal(["Owner", "Admin", "Member"], roles.Select(r => r.Text("name")));
        Assert.Equal(["orgrole_owner", "orgrole_admin", "orgrole_member"], roles.Select(r => r.Text("id")));
        Assert.All(roles, r => Assert.Equal(["id", "organization_id", "name", "permissions", "created_at", "updated_at"], r.EnumerateObject().Select(p => p.Name).ToArray()));
        Assert.All(roles, r => Assert.Equal(organizationId, r.Text("organization_id")));
        var stranger = await _system.SignUpAsync();
        (await _wacht.GetAsync($"/organizations/{organizationId}/roles", stranger.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await _wacht.GetAsync($"/organizations/not-an-id/roles", owner.SessionCookie)).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Owners_and_admins_see_the_organizations_members_with_their_one_role()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var admin = await _system.SignUpAsync(displayName: "Ada Admin");
        await app.AddOrganizationMemberAsync(workspaceId, admin.UserId, organizationRole: InstitutionRole.Admin);
        var member = await _system.SignUpAsync(SystemApi.NewEmail("plain"));
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);

        var page = (await _wacht.GetAsync($"/organizations/{organizationId}/members?page=1&limit=2", admin.SessionCookie)).AssertOk();

        Assert.Equal(3, page.GetProperty("meta").GetProperty("total").GetInt32());
        var items = page.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal([owner.UserId, admin.UserId], items.Select(i => i.GetProperty("user").Text("id")));
        Assert.All(items, i => Assert.Equal(["id", "organization_id", "user", "roles", "public_metadata", "created_at", "updated_at"],
            i.EnumerateObject().Select(p => p.Name).ToArray()));
        Assert.Equal(["Owner"], items[0].GetProperty("roles").EnumerateArray().Select(r => r.Text("name")));
        Assert.Equal(("Ada Admin", "orgrole_admin"), (items[1].GetProperty("user").Text("first_name"), items[1].GetProperty("roles")[0].Text("id")));
        var own = Assert.Single(await _wacht.OrganizationMembershipsAsync(owner));
        Assert.Equal(own.Text("id"), items[0].Text("id"));
        var found = (await _wacht.GetAsync($"/organizations/{organizationId}/members?search=plain", owner.SessionCookie)).AssertOk();
        Assert.Equal([member.UserId], found.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("user").Text("id")));

        Assert.Equal(Catalog.Text("en", "Error.PermissionDenied"),
            (await _wacht.GetAsync($"/organizations/{organizationId}/members", member.SessionCookie)).AssertError(HttpStatusCode.Forbidden));
        var stranger = await _system.SignUpAsync();
        (await _wacht.GetAsync($"/organizations/{organizationId}/members", stranger.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await _wacht.GetAsync($"/organizations/{organizationId}/members?limit=0", owner.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/organizations/{org}/delete")]
    [InlineData("/organizations/{org}/roles")]
    [InlineData("/organizations/{org}/roles/orgrole_admin/remove")]
    [InlineData("/workspaces/{workspace}/delete")]
    public async Task Changes_the_domain_does_not_make_say_so_to_those_who_run_it_only(string template)
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var member = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);
        var path = template.Replace("{org}", organizationId).Replace("{workspace}", workspaceId);

        Assert.Equal(Catalog.Text("en", "Wacht.ChangeUnavailable"),
            (await _wacht.PostAsync(path, owner.SessionCookie, Form(("name", "Renamed")))).AssertError(HttpStatusCode.BadRequest));
        (await _wacht.PostAsync(path, member.SessionCookie)).AssertError(HttpStatusCode.Forbidden);
        (await _wacht.PostAsync(path, (await _system.SignUpAsync()).SessionCookie)).AssertError(HttpStatusCode.NotFound);
        // Nothing changed: the member is still there with their role, the organization keeps its name.
        var kept = Assert.Single(await _wacht.OrganizationMembershipsAsync(member));
        Assert.Equal(["Member"], kept.GetProperty("roles").EnumerateArray().Select(r => r.Text("name")));
        Assert.Equal("Org Workspace", Assert.Single(await _wacht.WorkspaceMembershipsAsync(owner)).GetProperty("workspace").Text("name"));
    }

    [Fact]
    public async Task Invite_resend_discard_and_accept_with_the_emails_token()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var email = SystemApi.NewEmail("invitee");

        var invitation = (await InviteAsync(owner, organizationId, ("email", email), ("role_id", "orgrole_member"), ("workspace_id", workspaceId))).AssertOk();

        Assert.Equal(InvitationKeys, invitation.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal((email, organizationId, false), (invitation.Text("email"), invitation.Text("organization_id"), invitation.GetProperty("expired").GetBoolean()));
        Assert.Equal("orgrole_member", invitation.GetProperty("initial_organization_role").Text("id"));
        Assert.Equal((workspaceId, "Org Workspace"), (invitation.GetProperty("workspace").Text("id"), invitation.GetProperty("workspace").Text("name")));
        Assert.Equal("Member", invitation.GetProperty("initial_workspace_role").Text("name"));
        Assert.Equal([email], await PendingAsync(owner, organizationId, workspaceId));
        // Without workspace_id: those of all the organization's workspaces.
        Assert.Equal([email], (await _wacht.GetAsync($"/organizations/{organizationId}/invitations", owner.SessionCookie)).AssertOk()
            .EnumerateArray().Select(i => i.Text("email")));

        // The first email must be out before the resend: one still queued when its token is replaced is never sent.
        var first = (await app.Smtp.InvitationEmailAsync(email)).InvitationToken();
        (await _wacht.PostAsync($"/organizations/{organizationId}/invitations/{invitation.Text("id")}/resend", owner.SessionCookie)).AssertOk();
        var second = (await app.Smtp.InvitationEmailAsync(email, 2)).InvitationToken();
        var invitee = await _system.SignUpAsync(email);
        // The resend replaced the first token.
        (await _wacht.PostAsync("/organizations/invitations/accept", invitee.SessionCookie, Form(("token", first)))).AssertError(HttpStatusCode.NotFound);

        var accepted = (await _wacht.PostAsync("/organizations/invitations/accept", invitee.SessionCookie, Form(("token", second)))).AssertOk();

        Assert.Equal((organizationId, workspaceId), (accepted.GetProperty("organization").Text("id"), accepted.GetProperty("workspace").Text("id")));
        Assert.Equal(invitee.SessionId, accepted.Text("signin_id"));
        Assert.False(accepted.GetProperty("already_member").GetBoolean());
        Assert.Contains(workspaceId, (await _wacht.WorkspaceMembershipsAsync(invitee)).Select(m => m.GetProperty("workspace").Text("id")));
        Assert.Empty(await PendingAsync(owner, organizationId, workspaceId));
        (await _wacht.PostAsync("/organizations/invitations/accept", invitee.SessionCookie, Form(("token", second)))).AssertError(HttpStatusCode.NotFound);

        var withdrawn = (await InviteAsync(owner, organizationId, ("email", SystemApi.NewEmail("later")), ("workspace_id", workspaceId))).AssertOk();
        (await _wacht.PostAsync($"/organizations/{organizationId}/invitations/{withdrawn.Text("id")}/discard", owner.SessionCookie)).AssertOk();
        Assert.Empty(await PendingAsync(owner, organizationId, workspaceId));
        (await _wacht.PostAsync($"/organizations/{organizationId}/invitations/{withdrawn.Text("id")}/discard", owner.SessionCookie)).AssertError(HttpStatusCode.Conflict);
    }

    /// <summary>
    /// The SDK's manage-workspace screens, in the order they call: the invitations tab (roles and invitations together),
    /// an invitation, the invitee's sign-up page (validate), accept, their workspace list and switch; then the members tab
    /// (members and roles together), a role toggled on and off, and the removal.
    /// </summary>
    [Fact]
    public async Task The_sdks_manage_workspace_flow_invites_accepts_and_manages_the_member()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var email = SystemApi.NewEmail("flow");

        var tabs = await Task.WhenAll(
            _wacht.GetAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie),
            _wacht.GetAsync($"/organizations/{organizationId}/invitations?workspace_id={workspaceId}", owner.SessionCookie));
        var memberRole = tabs[0].AssertOk().EnumerateArray().Single(r => r.Text("name") == "Member").Text("id");
        Assert.Empty(tabs[1].AssertOk().EnumerateArray());
        (await InviteAsync(owner, organizationId, ("email", email), ("workspace_id", workspaceId), ("workspace_role_id", memberRole))).AssertOk();
        Assert.Equal([email], await PendingAsync(owner, organizationId, workspaceId));

        var token = (await app.Smtp.InvitationEmailAsync(email)).InvitationToken();
        Assert.Equal(email, (await _wacht.GetAsync($"/deployment/invitations/validate?token={Uri.EscapeDataString(token)}", cookie: null))
            .AssertOk(signedIn: false).Text("email"));
        var invitee = await _system.SignUpAsync(email);
        (await _wacht.PostAsync("/organizations/invitations/accept", invitee.SessionCookie, Form(("token", token)))).AssertOk();
        var membership = (await _wacht.WorkspaceMembershipsAsync(invitee)).Single(m => m.GetProperty("workspace").Text("id") == workspaceId);
        (await _wacht.PostAsync($"/session/switch-workspace?workspace_id={workspaceId}", invitee.SessionCookie)).AssertOk();
        Assert.Equal(membership.Text("id"), (await _wacht.ActiveSignInAsync(invitee)).Text("active_workspace_membership_id"));

        var screens = await Task.WhenAll(
            _wacht.GetAsync($"/workspaces/{workspaceId}/members?page=1&limit=10", owner.SessionCookie),
            _wacht.GetAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie));
        var joined = screens[0].AssertOk().GetProperty("data").EnumerateArray().Single(m => m.Text("user_id") == invitee.UserId);
        Assert.Equal(membership.Text("id"), joined.Text("id"));
        var ownerRole = screens[1].AssertOk().EnumerateArray().Single(r => r.Text("name") == "Owner").Text("id");
        var roleNames = (WachtResponse answer) => answer.AssertOk().GetProperty("roles").EnumerateArray().Select(r => r.Text("name")).ToArray();
        Assert.Equal(["Owner"], roleNames(await _wacht.PostAsync($"/workspaces/{workspaceId}/members/{joined.Text("id")}/roles/{ownerRole}/add", owner.SessionCookie)));
        Assert.Equal(["Member"], roleNames(await _wacht.PostAsync($"/workspaces/{workspaceId}/members/{joined.Text("id")}/roles/{ownerRole}/remove", owner.SessionCookie)));
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/members/{joined.Text("id")}/remove", owner.SessionCookie)).AssertOk();
        Assert.DoesNotContain(workspaceId, (await _wacht.WorkspaceMembershipsAsync(invitee)).Select(m => m.GetProperty("workspace").Text("id")));
    }

    [Fact]
    public async Task Invitations_refuse_bad_input_and_callers_without_the_permission()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var member = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);
        var (otherOwner, otherWorkspace, otherOrganization) = await OrganizationAsync();
        var email = SystemApi.NewEmail("x");

        (await InviteAsync(owner, organizationId, ("email", email))).AssertError(HttpStatusCode.BadRequest);
        (await InviteAsync(owner, organizationId, ("email", "not-an-email"), ("workspace_id", workspaceId))).AssertError(HttpStatusCode.BadRequest);
        (await InviteAsync(owner, organizationId, ("email", email), ("workspace_id", workspaceId), ("role_id", "orgrole_admin"))).AssertError(HttpStatusCode.BadRequest);
        (await InviteAsync(owner, organizationId, ("email", email), ("workspace_id", workspaceId), ("workspace_role_id", "role_unknown"))).AssertError(HttpStatusCode.BadRequest);
        Assert.Equal(Catalog.Text("en", "Error.PermissionDenied"),
            (await InviteAsync(member, organizationId, ("email", email), ("workspace_id", workspaceId))).AssertError(HttpStatusCode.Forbidden));
        (await _wacht.GetAsync($"/organizations/{organizationId}/invitations?workspace_id={workspaceId}", member.SessionCookie)).AssertError(HttpStatusCode.Forbidden);
        // Another organization's workspace, named through one's own organization, or that organization itself: not found.
        (await InviteAsync(owner, organizationId, ("email", email), ("workspace_id", otherWorkspace))).AssertError(HttpStatusCode.NotFound);
        (await InviteAsync(owner, otherOrganization, ("email", email), ("workspace_id", otherWorkspace))).AssertError(HttpStatusCode.NotFound);
        (await _wacht.GetAsync($"/organizations/{organizationId}/invitations?workspace_id={otherWorkspace}", owner.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        var theirs = (await InviteAsync(otherOwner, otherOrganization, ("email", email), ("workspace_id", otherWorkspace))).AssertOk().Text("id");
        (await _wacht.PostAsync($"/organizations/{organizationId}/invitations/{theirs}/discard", owner.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await _wacht.PostAsync($"/organizations/{otherOrganization}/invitations/{theirs}/resend", owner.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        Assert.Equal([email], await PendingAsync(otherOwner, otherOrganization, otherWorkspace));
        (await _wacht.PostAsync("/organizations/invitations/accept", member.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/organizations/invitations/accept", member.SessionCookie, Form(("token", "made-up")))).AssertError(HttpStatusCode.NotFound);
    }
}
