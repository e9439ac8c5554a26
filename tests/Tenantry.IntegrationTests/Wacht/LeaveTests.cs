using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Institutions;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// <c>POST /workspaces/{id}/leave</c> and <c>POST /organizations/{id}/leave</c>: the same leave as
/// SYSTEM's, and leaving an organization takes its workspaces with it. Whoever would leave a
/// workspace or organization without an owner is refused with 403.
/// </summary>
public sealed class LeaveTests(WachtApp app) : IClassFixture<WachtApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private Task<WachtResponse> LeaveWorkspaceAsync(TestUser user, string workspaceId) => _wacht.PostAsync($"/workspaces/{workspaceId}/leave", user.SessionCookie);

    private Task<WachtResponse> LeaveOrganizationAsync(TestUser user, string organizationId) =>
        _wacht.PostAsync($"/organizations/{organizationId}/leave", user.SessionCookie);

    private async Task<string[]> SystemWorkspacesAsync(TestUser user) =>
        (await _system.ListMineAsync(user)).Select(i => i.GetProperty("workspaceBizId").GetString()!).ToArray();

    private async Task<string?> SystemDefaultAsync(TestUser user) =>
        (await _system.ListMineAsync(user)).Where(i => i.GetProperty("isDefault").GetBoolean()).Select(i => i.GetProperty("workspaceBizId").GetString()).SingleOrDefault();

    private Task<int> MemberCountAsync(string workspaceId) => app.WithDbAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.MemberCount).SingleAsync());

    private Task<int> OrganizationMemberCountAsync(string institutionId) =>
        app.WithDbAsync(db => db.Institutions.Where(i => i.Id == institutionId).Select(i => i.MemberCount).SingleAsync());

    [Fact]
    public async Task A_member_leaves_a_workspace_and_both_dialects_see_it()
    {
        var owner = await _system.SignUpAsync();
        var member = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(member, "Own");
        var joined = await _system.CreateWorkspaceAsync(owner, "Joined");
        await app.AddOrganizationMemberAsync(joined, member.UserId);

        var answer = await LeaveWorkspaceAsync(member, joined);

        Assert.Equal(JsonValueKind.Null, answer.AssertOk().ValueKind);
        Assert.Equal([own], await SystemWorkspacesAsync(member));
        Assert.Equal([own], (await _wacht.WorkspaceMembershipsAsync(member)).Select(i => i.GetProperty("workspace").GetProperty("id").GetString()));
        Assert.Equal(1, await MemberCountAsync(joined));
        // Leaving again: no longer a member.
        Assert.Equal(Catalog.Text("en", "Error.NotAMember"), (await LeaveWorkspaceAsync(member, joined)).AssertError(HttpStatusCode.BadRequest));
        (await LeaveWorkspaceAsync(member, "not-an-id")).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Leaving_the_active_workspace_moves_it_to_the_next_one()
    {
        var owner = await _system.SignUpAsync();
        var member = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(member, "Own");
        var joined = await _system.CreateWorkspaceAsync(owner, "Joined");
        await app.AddOrganizationMemberAsync(joined, member.UserId);
        (await _wacht.PostAsync($"/session/switch-workspace?workspace_id={joined}", member.SessionCookie)).AssertOk();

        var data = (await LeaveWorkspaceAsync(member, joined)).AssertOk();

        Assert.Equal(own, await SystemDefaultAsync(member));
        var ownMembership = Assert.Single(await _wacht.WorkspaceMembershipsAsync(member)).GetProperty("id").GetString();
        Assert.Equal(ownMembership, (await _wacht.ActiveSignInAsync(member)).GetProperty("active_workspace_membership_id").GetString());
        Assert.Equal(JsonValueKind.Null, data.ValueKind);
    }

    [Fact]
    public async Task The_last_owner_of_a_workspace_is_told_to_transfer_ownership_first()
    {
        var owner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner);

        var message = (await LeaveWorkspaceAsync(owner, workspaceId)).AssertError(HttpStatusCode.Forbidden);

        Assert.Equal(Catalog.Text("en", "Error.LastOwner"), message);
        Assert.Contains("transfer ownership", message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([workspaceId], await SystemWorkspacesAsync(owner));
        // Localized like every message.
        var japanese = await _wacht.SendAsync(HttpMethod.Post, $"/workspaces/{workspaceId}/leave", owner.SessionCookie, WachtApi.EmptyForm(), language: "ja");
        Assert.Equal(Catalog.Text("ja", "Error.LastOwner"), japanese.AssertError(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Leaving_an_organization_leaves_its_workspaces_and_moves_the_default_out_of_it()
    {
        var owner = await _system.SignUpAsync();
        var member = await _system.SignUpAsync();
        var own = await _system.CreateWorkspaceAsync(member, "Own");
        var first = await _system.CreateWorkspaceAsync(owner, "First");
        var organizationId = await app.InstitutionOfAsync(first);
        var second = await app.AddWorkspaceAsync(organizationId, owner.UserId, "Second");
        await app.AddOrganizationMemberAsync(first, member.UserId);
        await app.AddOrganizationMemberAsync(second, member.UserId);
        (await _wacht.PostAsync($"/session/switch-workspace?workspace_id={second}", member.SessionCookie)).AssertOk();
        Assert.Equal(2, await OrganizationMemberCountAsync(organizationId));

        var answer = await LeaveOrganizationAsync(member, organizationId);

        answer.AssertOk();
        Assert.Equal([own], await SystemWorkspacesAsync(member));
        Assert.Equal(own, await SystemDefaultAsync(member));
        Assert.DoesNotContain(organizationId, (await _wacht.OrganizationMembershipsAsync(member)).Select(i => i.GetProperty("organization").GetProperty("id").GetString()));
        Assert.Equal(1, await MemberCountAsync(first));
        Assert.Equal(1, await MemberCountAsync(second));
        Assert.Equal(1, await OrganizationMemberCountAsync(organizationId));
        // The session answered shows where the user is now.
        var ownOrganizationMembership = (await _wacht.OrganizationMembershipsAsync(member)).Single().GetProperty("id").GetString();
        Assert.Equal(ownOrganizationMembership, answer.Session.GetProperty("active_signin").GetProperty("active_organization_membership_id").GetString());
        Assert.Equal(Catalog.Text("en", "Error.NotAnInstitutionMember"), (await LeaveOrganizationAsync(member, organizationId)).AssertError(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task The_sole_owner_of_an_organization_cannot_leave_it()
    {
        var owner = await _system.SignUpAsync();
        var coOwner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner);
        var organizationId = await app.InstitutionOfAsync(workspaceId);
        await app.JoinOrganizationAsync(organizationId, coOwner.UserId, InstitutionRole.Owner);

        // With a second owner, the first one may go (it is not the last owner of any workspace, the co-owner has none).
        (await LeaveOrganizationAsync(coOwner, organizationId)).AssertOk();

        var message = (await LeaveOrganizationAsync(owner, organizationId)).AssertError(HttpStatusCode.Forbidden);
        Assert.Equal(Catalog.Text("en", "Error.SoleInstitutionOwner"), message);
        Assert.Contains("transfer ownership", message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([workspaceId], await SystemWorkspacesAsync(owner));
    }

    [Fact]
    public async Task An_admin_of_an_organization_without_owners_cannot_leave_but_one_beside_an_owner_can()
    {
        var owner = await _system.SignUpAsync();
        var admin = await _system.SignUpAsync();
        var secondAdmin = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner);
        var organizationId = await app.InstitutionOfAsync(workspaceId);
        await app.JoinOrganizationAsync(organizationId, admin.UserId, InstitutionRole.Admin);
        await app.JoinOrganizationAsync(organizationId, secondAdmin.UserId, InstitutionRole.Admin);

        (await LeaveOrganizationAsync(secondAdmin, organizationId)).AssertOk();
        await app.SetOrganizationRoleAsync(organizationId, owner.UserId, InstitutionRole.Member);

        (await LeaveOrganizationAsync(admin, organizationId)).AssertError(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_last_owner_of_one_of_its_workspaces_cannot_leave_the_organization()
    {
        var owner = await _system.SignUpAsync();
        var teamLead = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner);
        var organizationId = await app.InstitutionOfAsync(workspaceId);
        var team = await app.AddWorkspaceAsync(organizationId, teamLead.UserId, "Team");
        await app.AddOrganizationMemberAsync(workspaceId, teamLead.UserId);

        var message = (await LeaveOrganizationAsync(teamLead, organizationId)).AssertError(HttpStatusCode.Forbidden);

        Assert.Equal(Catalog.Text("en", "Error.LastOwner"), message);
        // Nothing was left half-way.
        Assert.Equal(new[] { team, workspaceId }.Order(), (await SystemWorkspacesAsync(teamLead)).Order());
        Assert.Single(await _wacht.OrganizationMembershipsAsync(teamLead));
    }

    [Fact]
    public async Task Two_owners_leaving_at_once_leave_exactly_one_behind()
    {
        var founder = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(founder);
        var organizationId = await app.InstitutionOfAsync(workspaceId);
        await app.SetOrganizationRoleAsync(organizationId, founder.UserId, InstitutionRole.Member);
        var owners = new[] { await _system.SignUpAsync(), await _system.SignUpAsync() };
        foreach (var owner in owners)
        {
            await app.JoinOrganizationAsync(organizationId, owner.UserId, InstitutionRole.Owner);
        }

        var answers = await Task.WhenAll(owners.Select(o => LeaveOrganizationAsync(o, organizationId)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Forbidden).AssertError(HttpStatusCode.Forbidden);
        var remaining = await app.WithDbAsync(db => db.InstitutionMemberships
            .Where(m => m.InstitutionId == organizationId && m.Role == InstitutionRole.Owner).CountAsync());
        Assert.Equal(1, remaining);
        Assert.Equal(2, await OrganizationMemberCountAsync(organizationId));
    }
}
