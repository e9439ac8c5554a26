using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Webhooks;
using Tenantry.IntegrationTests.Infrastructure;
using static Tenantry.IntegrationTests.Wacht.WorkspaceManagementTests;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// What those who run an organization change through the SDK's organization screens, over the domain's rules: a member's
/// organization role (Owner, Admin, Member; one per membership), removing a member from the organization and all of its
/// workspaces, the organization's name and description (its policies stay the operator's), and the invitations of all
/// its workspaces.
/// </summary>
public sealed class OrganizationAdministrationTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    private async Task<(TestUser Owner, string WorkspaceId, string OrganizationId)> OrganizationAsync(string name = "Org Workspace")
    {
        var owner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner, name);
        return (owner, workspaceId, await app.InstitutionOfAsync(workspaceId));
    }

    private async Task<(TestUser User, string MembershipId)> JoinAsync(string workspaceId, InstitutionRole role = InstitutionRole.Member, string workspaceRole = "Member")
    {
        var user = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, user.UserId, workspaceRole, role);
        return (user, await MembershipIdAsync(await app.InstitutionOfAsync(workspaceId), user.UserId));
    }

    private Task<string> MembershipIdAsync(string organizationId, string userId) =>
        app.WithDbAsync(db => db.InstitutionMemberships.Where(m => m.InstitutionId == organizationId && m.UserId == userId).Select(m => m.Id).SingleAsync());

    private Task<WachtResponse> RoleAsync(TestUser caller, string organizationId, string membershipId, string roleId, string action) =>
        _wacht.PostAsync($"/organizations/{organizationId}/members/{membershipId}/roles/{roleId}/{action}", caller.SessionCookie);

    private Task<WachtResponse> RemoveAsync(TestUser caller, string organizationId, string membershipId) =>
        _wacht.PostAsync($"/organizations/{organizationId}/members/{membershipId}/remove", caller.SessionCookie);

    private Task<WachtResponse> UpdateAsync(TestUser caller, string organizationId, params (string, string)[] fields) =>
        _wacht.PostAsync($"/organizations/{organizationId}/update", caller.SessionCookie, Form(fields));

    private static string[] RoleNames(JsonElement membership) => [.. membership.GetProperty("roles").EnumerateArray().Select(r => r.Text("name"))];

    /// <summary>The organization's audit events of one action: their target and details (as JSON: PostgreSQL stores them as jsonb, in its own spelling).</summary>
    private async Task<List<(string? Target, JsonElement Details)>> AuditAsync(string organizationId, string action)
    {
        var events = await app.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.InstitutionId == organizationId && e.Action == action)
            .OrderBy(e => e.CreatedAt).Select(e => new { e.TargetId, e.Details }).ToListAsync());
        return [.. events.Select(e => (e.TargetId, JsonDocument.Parse(e.Details).RootElement.Clone()))];
    }

    private Task<int> OwnerCountAsync(string organizationId) =>
        app.WithDbAsync(db => db.InstitutionMemberships.CountAsync(m => m.InstitutionId == organizationId && m.Role == InstitutionRole.Owner));

    [Fact]
    public async Task Owners_and_admins_change_organization_roles_within_their_own()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var (admin, adminMembership) = await JoinAsync(workspaceId, InstitutionRole.Admin);
        var (member, memberMembership) = await JoinAsync(workspaceId);
        var ownerMembership = await MembershipIdAsync(organizationId, owner.UserId);
        // The member reads their memberships first, so that a cached list would show the old role.
        Assert.Equal(["Member"], RoleNames(Assert.Single(await _wacht.OrganizationMembershipsAsync(member))));

        var promoted = (await RoleAsync(owner, organizationId, memberMembership, "orgrole_admin", "add")).AssertOk();

        Assert.Equal(["id", "organization_id", "user", "roles", "public_metadata", "created_at", "updated_at"], promoted.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal((memberMembership, member.UserId), (promoted.Text("id"), promoted.GetProperty("user").Text("id")));
        Assert.Equal(["Admin"], RoleNames(promoted));
        Assert.Equal(["Admin"], RoleNames(Assert.Single(await _wacht.OrganizationMembershipsAsync(member))));
        // Adding the role held already changes nothing and records nothing.
        Assert.Equal(["Admin"], RoleNames((await RoleAsync(owner, organizationId, memberMembership, "orgrole_admin", "add")).AssertOk()));
        var (target, details) = Assert.Single(await AuditAsync(organizationId, AuditActions.InstitutionMemberRoleChanged));
        Assert.Equal((member.UserId, "Member", "Admin"), (target, details.Text("fromRole"), details.Text("toRole")));
        Assert.Contains(AuditActions.InstitutionMemberRoleChanged, WebhookEventTypes.All);

        // An Admin moves non-owners between Admin and Member; taking Admin away leaves Member.
        Assert.Equal(["Member"], RoleNames((await RoleAsync(admin, organizationId, memberMembership, "orgrole_admin", "remove")).AssertOk()));
        Assert.Equal(Catalog.Text("en", "Error.RoleExceedsGrantor"),
            (await RoleAsync(admin, organizationId, memberMembership, "orgrole_owner", "add")).AssertError(HttpStatusCode.Forbidden));
        (await RoleAsync(admin, organizationId, ownerMembership, "orgrole_owner", "remove")).AssertError(HttpStatusCode.Forbidden);
        (await RoleAsync(member, organizationId, memberMembership, "orgrole_admin", "add")).AssertError(HttpStatusCode.Forbidden);

        // Member cannot be taken away, nor a role the member does not hold; unknown roles and members are not found.
        Assert.Equal(Catalog.Text("en", "Error.MemberRoleRequired"),
            (await RoleAsync(owner, organizationId, memberMembership, "orgrole_member", "remove")).AssertError(HttpStatusCode.Conflict));
        Assert.Equal(Catalog.Text("en", "Error.InstitutionRoleNotHeld"),
            (await RoleAsync(owner, organizationId, memberMembership, "orgrole_admin", "remove")).AssertError(HttpStatusCode.BadRequest));
        (await RoleAsync(owner, organizationId, memberMembership, "orgrole_nothing", "add")).AssertError(HttpStatusCode.NotFound);
        (await RoleAsync(owner, organizationId, "om_unknown", "orgrole_admin", "add")).AssertError(HttpStatusCode.NotFound);
        (await RoleAsync(await _system.SignUpAsync(), organizationId, memberMembership, "orgrole_admin", "add")).AssertError(HttpStatusCode.NotFound);

        // The organization keeps an Owner: its only one cannot step down until another member is Owner.
        Assert.Equal(Catalog.Text("en", "Error.LastInstitutionOwner"),
            (await RoleAsync(owner, organizationId, ownerMembership, "orgrole_owner", "remove")).AssertError(HttpStatusCode.Conflict));
        Assert.Equal(["Owner"], RoleNames((await RoleAsync(owner, organizationId, adminMembership, "orgrole_owner", "add")).AssertOk()));
        Assert.Equal(["Admin"], RoleNames((await RoleAsync(owner, organizationId, ownerMembership, "orgrole_admin", "add")).AssertOk()));
        Assert.Equal(1, await OwnerCountAsync(organizationId));
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_one_owner()
    {
        for (var round = 0; round < 3; round++)
        {
            var (first, workspaceId, organizationId) = await OrganizationAsync();
            var (second, secondMembership) = await JoinAsync(workspaceId, InstitutionRole.Owner);
            var firstMembership = await MembershipIdAsync(organizationId, first.UserId);

            var results = await Task.WhenAll(
                RoleAsync(first, organizationId, secondMembership, "orgrole_owner", "remove"),
                RoleAsync(second, organizationId, firstMembership, "orgrole_owner", "remove"));

            // The loser was demoted first, so they no longer run the organization.
            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.Single(results, r => r.Status == HttpStatusCode.Forbidden);
            Assert.Equal(1, await OwnerCountAsync(organizationId));
        }
    }

    [Fact]
    public async Task Removing_a_member_takes_them_out_of_the_organization_and_all_its_workspaces_in_every_dialect()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var (member, membershipId) = await JoinAsync(workspaceId);
        var second = await app.AddWorkspaceAsync(organizationId, owner.UserId, "Second");
        await app.AddMemberAsync(second, member.UserId);
        var elsewhere = await _system.CreateWorkspaceAsync(member, "Their own");
        (await _wacht.PostAsync($"/session/switch-workspace?workspace_id={workspaceId}", member.SessionCookie)).AssertOk();
        // Read before the removal: cached lists must not outlive it.
        Assert.Equal(3, (await _wacht.WorkspaceMembershipsAsync(member)).Length);
        Assert.Equal(3, (await _system.ListMineAsync(member)).Length);

        (await RemoveAsync(owner, organizationId, membershipId)).AssertOk();

        Assert.Equal([elsewhere], (await _wacht.WorkspaceMembershipsAsync(member)).Select(m => m.GetProperty("workspace").Text("id")));
        Assert.DoesNotContain(organizationId, (await _wacht.OrganizationMembershipsAsync(member)).Select(m => m.GetProperty("organization").Text("id")));
        // The SYSTEM dialect sees the same: only the member's own workspace is left, and it became their default.
        var mine = Assert.Single(await _system.ListMineAsync(member));
        Assert.Equal(elsewhere, mine.Text("workspaceBizId"));
        Assert.True(mine.Flag("isDefault"));
        Assert.NotEqual(membershipId, (await _wacht.ActiveSignInAsync(member)).Text("active_organization_membership_id"));
        var (removed, details) = Assert.Single(await AuditAsync(organizationId, AuditActions.InstitutionMemberRemoved));
        Assert.Equal((member.UserId, "Member"), (removed, details.Text("role")));
        Assert.Equal(2, (await AuditAsync(organizationId, AuditActions.MemberRemoved)).Count);
        Assert.Contains(AuditActions.InstitutionMemberRemoved, WebhookEventTypes.All);
        Assert.Equal(1, await app.WithDbAsync(db => db.Institutions.Where(i => i.Id == organizationId).Select(i => i.MemberCount).SingleAsync()));
        (await RemoveAsync(owner, organizationId, membershipId)).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Removal_keeps_every_owner_the_organization_and_its_workspaces_need()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var (admin, adminMembership) = await JoinAsync(workspaceId, InstitutionRole.Admin);
        var (coOwner, coOwnerMembership) = await JoinAsync(workspaceId, InstitutionRole.Owner);
        var (member, memberMembership) = await JoinAsync(workspaceId);
        var ownerMembership = await MembershipIdAsync(organizationId, owner.UserId);
        // The member runs a workspace of the organization alone.
        await app.AddWorkspaceAsync(organizationId, member.UserId, "Member's Lab");

        Assert.Equal(Catalog.Text("en", "Error.RoleExceedsGrantor"), (await RemoveAsync(admin, organizationId, coOwnerMembership)).AssertError(HttpStatusCode.Forbidden));
        (await RemoveAsync(member, organizationId, adminMembership)).AssertError(HttpStatusCode.Forbidden);
        (await RemoveAsync(await _system.SignUpAsync(), organizationId, memberMembership)).AssertError(HttpStatusCode.NotFound);
        var refused = (await RemoveAsync(admin, organizationId, memberMembership)).AssertError(HttpStatusCode.Conflict);
        Assert.Contains("\"Member's Lab\"", refused, StringComparison.Ordinal);
        var inJapanese = await _wacht.SendAsync(HttpMethod.Post, $"/organizations/{organizationId}/members/{memberMembership}/remove", owner.SessionCookie,
            WachtApi.EmptyForm(), language: "ja");
        Assert.Equal(Catalog.Text("ja", "Error.LastOwnerOfWorkspace").Replace("{workspace}", "Member's Lab"), inJapanese.AssertError(HttpStatusCode.Conflict));
        Assert.Equal(4, (await app.WithDbAsync(db => db.InstitutionMemberships.CountAsync(m => m.InstitutionId == organizationId))));

        // Removing yourself is leaving, with leaving's rules and record.
        (await RemoveAsync(coOwner, organizationId, coOwnerMembership)).AssertOk();
        Assert.Equal(coOwner.UserId, Assert.Single(await AuditAsync(organizationId, AuditActions.InstitutionLeft)).Target);
        Assert.Equal(Catalog.Text("en", "Error.SoleInstitutionOwner"), (await RemoveAsync(owner, organizationId, ownerMembership)).AssertError(HttpStatusCode.Forbidden));
        (await RemoveAsync(owner, organizationId, adminMembership)).AssertOk();
        Assert.Empty(await _wacht.OrganizationMembershipsAsync(admin));
    }

    [Fact]
    public async Task Those_who_run_an_organization_rename_and_describe_it_while_its_policies_stay_the_operators()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var (admin, _) = await JoinAsync(workspaceId, InstitutionRole.Admin);
        var (member, _) = await JoinAsync(workspaceId);
        Assert.Equal("Org Workspace", Assert.Single(await _wacht.OrganizationMembershipsAsync(member)).GetProperty("organization").Text("name"));

        // The SDK's settings screen sends the whole form, policies unchanged ("0": no auto-assigned workspace).
        var updated = (await UpdateAsync(admin, organizationId, ("name", "Renamed Org"), ("description", "What we do"),
            ("enable_ip_restriction", "false"), ("enforce_mfa", "false"), ("auto_assigned_workspace_id", "0"))).AssertOk();

        Assert.Equal(("Renamed Org", "What we do", organizationId), (updated.Text("name"), updated.Text("description"), updated.Text("id")));
        Assert.Equal("Renamed Org", Assert.Single(await _wacht.OrganizationMembershipsAsync(member)).GetProperty("organization").Text("name"));
        var (target, details) = Assert.Single(await AuditAsync(organizationId, AuditActions.InstitutionUpdated));
        Assert.Equal(organizationId, target);
        Assert.Equal(["name", "description"], details.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains(AuditActions.InstitutionUpdated, WebhookEventTypes.All);
        // Sending what it already has changes and records nothing.
        (await UpdateAsync(owner, organizationId, ("name", "Renamed Org"))).AssertOk();
        Assert.Single(await AuditAsync(organizationId, AuditActions.InstitutionUpdated));
        Assert.Equal("", (await UpdateAsync(owner, organizationId, ("description", ""))).AssertOk().Text("description"));

        Assert.Equal(Catalog.Text("en", "Error.InstitutionPolicyIsOperators").Replace("{field}", "enforce_mfa"),
            (await UpdateAsync(owner, organizationId, ("name", "Sneaky"), ("enforce_mfa", "true"))).AssertError(HttpStatusCode.BadRequest));
        Assert.Contains("whitelisted_ips", (await UpdateAsync(owner, organizationId, ("enable_ip_restriction", "true"), ("whitelisted_ips", "10.0.0.0/8")))
            .AssertError(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("auto_assigned_workspace_id", (await UpdateAsync(owner, organizationId, ("auto_assigned_workspace_id", workspaceId)))
            .AssertError(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        (await UpdateAsync(owner, organizationId, ("enforce_mfa", "maybe"))).AssertError(HttpStatusCode.BadRequest);
        (await UpdateAsync(owner, organizationId, ("name", ""))).AssertError(HttpStatusCode.BadRequest);
        (await UpdateAsync(owner, organizationId, ("name", new string('n', Institution.MaxNameLength + 1)))).AssertError(HttpStatusCode.BadRequest);
        (await UpdateAsync(owner, organizationId, ("name", "Two\nlines"))).AssertError(HttpStatusCode.BadRequest);
        (await UpdateAsync(owner, organizationId, ("description", new string('d', Institution.MaxDescriptionLength + 1)))).AssertError(HttpStatusCode.BadRequest);
        var withImage = new MultipartFormDataContent();
        var image = new ByteArrayContent([0x89, 0x50, 0x4e, 0x47]);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        withImage.Add(image, "image", "logo.png");
        (await _wacht.PostAsync($"/organizations/{organizationId}/update", owner.SessionCookie, withImage)).AssertError(HttpStatusCode.BadRequest);
        (await UpdateAsync(member, organizationId, ("name", "Mine now"))).AssertError(HttpStatusCode.Forbidden);
        (await UpdateAsync(await _system.SignUpAsync(), organizationId, ("name", "Mine now"))).AssertError(HttpStatusCode.NotFound);
        var kept = Assert.Single(await _wacht.OrganizationMembershipsAsync(member)).GetProperty("organization");
        Assert.Equal(("Renamed Org", false), (kept.Text("name"), kept.GetProperty("enforce_mfa").GetBoolean()));
    }

    [Fact]
    public async Task The_organizations_invitation_list_holds_those_of_every_workspace_the_caller_may_invite_to()
    {
        var (owner, workspaceId, organizationId) = await OrganizationAsync();
        var second = await app.AddWorkspaceAsync(organizationId, owner.UserId, "Second");
        var (admin, _) = await JoinAsync(workspaceId, InstitutionRole.Admin);
        // A Member of the organization who owns the second workspace may invite there only.
        var (inviter, _) = await JoinAsync(workspaceId);
        await app.AddMemberAsync(second, inviter.UserId, WorkspaceRole.OwnerName);
        var (member, _) = await JoinAsync(workspaceId);
        var first = SystemApi.NewEmail("first");
        var later = SystemApi.NewEmail("later");
        foreach (var (email, workspace) in new[] { (first, workspaceId), (later, second) })
        {
            (await _wacht.PostAsync($"/organizations/{organizationId}/invitations", owner.SessionCookie,
                Form(("email", email), ("workspace_id", workspace)))).AssertOk();
        }

        var all = (await _wacht.GetAsync($"/organizations/{organizationId}/invitations", admin.SessionCookie)).AssertOk().EnumerateArray().ToArray();

        Assert.Equal([later, first], all.Select(i => i.Text("email")));
        Assert.Equal([second, workspaceId], all.Select(i => i.GetProperty("workspace").Text("id")));
        Assert.All(all, i => Assert.Equal(organizationId, i.Text("organization_id")));
        Assert.Equal([later], (await _wacht.GetAsync($"/organizations/{organizationId}/invitations", inviter.SessionCookie)).AssertOk()
            .EnumerateArray().Select(i => i.Text("email")));
        Assert.Empty((await _wacht.GetAsync($"/organizations/{organizationId}/invitations", member.SessionCookie)).AssertOk().EnumerateArray());
        (await _wacht.GetAsync($"/organizations/{organizationId}/invitations", (await _system.SignUpAsync()).SessionCookie)).AssertError(HttpStatusCode.NotFound);
    }
}
