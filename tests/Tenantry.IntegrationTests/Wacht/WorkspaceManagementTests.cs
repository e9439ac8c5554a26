using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Wacht;

/// <summary>
/// The manage-workspace routes of Wacht's SDK (<c>useWorkspaceList</c>): members, their roles, roles, update and create,
/// over the SYSTEM dialect's use cases. A membership's <c>roles</c> holds its one role: adding a role replaces it, taking
/// it away gives the Member role back.
/// </summary>
public sealed class WorkspaceManagementTests(WachtApp app) : IClassFixture<WachtApp>
{
    private static readonly string[] MemberKeys = ["id", "workspace_id", "user_id", "user", "roles", "public_metadata", "created_at", "updated_at"];
    private static readonly string[] UserKeys =
        ["id", "first_name", "last_name", "username", "availability", "has_profile_picture", "profile_picture_url", "primary_email_address"];
    private static readonly string[] RoleKeys = ["id", "name", "permissions", "created_at", "updated_at"];

    private readonly SystemApi _system = app.System;
    private readonly WachtApi _wacht = app.Wacht();

    /// <summary>A browser's <c>FormData</c>: multipart, a field given once per value.</summary>
    internal static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    private async Task<JsonElement> MembersAsync(TestUser user, string workspaceId, string query = "") =>
        (await _wacht.GetAsync($"/workspaces/{workspaceId}/members{query}", user.SessionCookie)).AssertOk();

    private async Task<JsonElement> MemberAsync(TestUser caller, string workspaceId, string userId) =>
        (await MembersAsync(caller, workspaceId)).GetProperty("data").EnumerateArray().Single(m => m.Text("user_id") == userId);

    private static string[] RoleNames(JsonElement member) => member.GetProperty("roles").EnumerateArray().Select(r => r.Text("name")).ToArray();

    private Task<WachtResponse> AddRoleAsync(TestUser caller, string workspaceId, string membershipId, string roleId) =>
        _wacht.PostAsync($"/workspaces/{workspaceId}/members/{membershipId}/roles/{roleId}/add", caller.SessionCookie);

    private Task<WachtResponse> RemoveRoleAsync(TestUser caller, string workspaceId, string membershipId, string roleId) =>
        _wacht.PostAsync($"/workspaces/{workspaceId}/members/{membershipId}/roles/{roleId}/remove", caller.SessionCookie);

    private async Task<(TestUser Owner, string WorkspaceId, TestUser Member, string MembershipId)> TeamAsync()
    {
        var owner = await _system.SignUpAsync();
        var workspaceId = await _system.CreateWorkspaceAsync(owner, "Team");
        var member = await _system.SignUpAsync(displayName: "Mia Member");
        await app.AddOrganizationMemberAsync(workspaceId, member.UserId);
        return (owner, workspaceId, member, (await MemberAsync(owner, workspaceId, member.UserId)).Text("id"));
    }

    private async Task<string> CreateRoleAsync(TestUser owner, string workspaceId, string name, params string[] permissions) =>
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie,
            Form([("name", name), .. permissions.Select(p => ("permissions", p))]))).AssertOk().Text("id");

    [Fact]
    public async Task The_member_list_is_a_page_in_the_sdks_shape_with_each_members_one_role()
    {
        var (owner, workspaceId, member, membershipId) = await TeamAsync();
        var third = await _system.SignUpAsync(SystemApi.NewEmail("zed"), "Zed");
        await app.AddOrganizationMemberAsync(workspaceId, third.UserId);

        var page = await MembersAsync(owner, workspaceId, "?page=1&limit=2");

        Assert.Equal(["data", "meta"], page.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(3, page.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("meta").GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("meta").GetProperty("limit").GetInt32());
        var items = page.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal([owner.UserId, member.UserId], items.Select(i => i.Text("user_id")));
        Assert.All(items, i => Assert.Equal(MemberKeys, i.EnumerateObject().Select(p => p.Name).ToArray()));
        var mia = items[1];
        Assert.Equal(membershipId, mia.Text("id"));
        Assert.Equal(workspaceId, mia.Text("workspace_id"));
        Assert.Equal(UserKeys, mia.GetProperty("user").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("Mia Member", mia.GetProperty("user").Text("first_name"));
        Assert.Equal(member.Email, mia.GetProperty("user").GetProperty("primary_email_address").Text("email"));
        var role = Assert.Single(mia.GetProperty("roles").EnumerateArray());
        Assert.Equal(RoleKeys, role.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("Member", role.Text("name"));
        Assert.Equal(Permissions.MemberDefaults, role.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        // The owner's item is the membership the caller's own list shows.
        var own = (await _wacht.WorkspaceMembershipsAsync(owner)).Single(m => m.GetProperty("workspace").Text("id") == workspaceId);
        Assert.Equal(own.Text("id"), items[0].Text("id"));
        Assert.Equal(["Owner"], RoleNames(items[0]));

        var last = await MembersAsync(owner, workspaceId, "?page=2&limit=2");
        Assert.Equal([third.UserId], last.GetProperty("data").EnumerateArray().Select(i => i.Text("user_id")));
        var found = await MembersAsync(owner, workspaceId, "?page=1&limit=10&search=zed");
        Assert.Equal([third.UserId], found.GetProperty("data").EnumerateArray().Select(i => i.Text("user_id")));
        Assert.Equal(1, found.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?limit=100000")]
    [InlineData("?page=abc")]
    [InlineData("?limit=-1")]
    [InlineData("?page=1&page=2")]
    public async Task A_bad_page_is_a_bad_request_in_wachts_shape(string query)
    {
        var (owner, workspaceId, _, _) = await TeamAsync();

        (await _wacht.GetAsync($"/workspaces/{workspaceId}/members{query}", owner.SessionCookie)).AssertError(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Adding_a_role_replaces_the_one_held_and_taking_it_away_gives_the_member_role_back_in_both_dialects()
    {
        var (owner, workspaceId, member, membershipId) = await TeamAsync();
        var reviewers = await CreateRoleAsync(owner, workspaceId, "Reviewers", "members.read", "members.invite");
        var memberRole = await _system.RoleIdAsync(owner, workspaceId, "Member");

        var added = (await AddRoleAsync(owner, workspaceId, membershipId, reviewers)).AssertOk();

        Assert.Equal(MemberKeys, added.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(["Reviewers"], RoleNames(added));
        Assert.Equal(["members.read", "members.invite"], added.GetProperty("roles")[0].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Reviewers", (await _system.MembersAsync(owner, workspaceId)).Item("userBizId", member.UserId).Text("workspaceRoleName"));
        Assert.Equal(["Reviewers"], RoleNames((await _wacht.WorkspaceMembershipsAsync(member)).Single(m => m.GetProperty("workspace").Text("id") == workspaceId)));

        var removed = (await RemoveRoleAsync(owner, workspaceId, membershipId, reviewers)).AssertOk();

        Assert.Equal(["Member"], RoleNames(removed));
        Assert.Equal(memberRole, (await _system.MembersAsync(owner, workspaceId)).Item("userBizId", member.UserId).Text("workspaceRoleBizId"));
        // A role the member does not hold is not theirs to lose; the Member role is never taken away, only replaced.
        (await RemoveRoleAsync(owner, workspaceId, membershipId, reviewers)).AssertError(HttpStatusCode.NotFound);
        Assert.Equal(Catalog.Text("en", "Error.MemberRoleRequired"),
            (await RemoveRoleAsync(owner, workspaceId, membershipId, memberRole)).AssertError(HttpStatusCode.Conflict));

        // SYSTEM's role change shows in Wacht's roles array.
        (await _system.ChangeRoleAsync(owner, workspaceId, member.UserId, reviewers)).AssertOk();
        Assert.Equal(["Reviewers"], RoleNames(await MemberAsync(owner, workspaceId, member.UserId)));
        Assert.Equal(["Member"], RoleNames((await RemoveRoleAsync(owner, workspaceId, membershipId, reviewers)).AssertOk()));
    }

    [Fact]
    public async Task The_last_owner_keeps_the_owner_role_and_cannot_be_removed()
    {
        var (owner, workspaceId, _, _) = await TeamAsync();
        var ownMembership = (await MemberAsync(owner, workspaceId, owner.UserId)).Text("id");
        var ownerRole = await _system.RoleIdAsync(owner, workspaceId, "Owner");
        var memberRole = await _system.RoleIdAsync(owner, workspaceId, "Member");

        Assert.Equal(Catalog.Text("en", "Error.LastOwner"), (await RemoveRoleAsync(owner, workspaceId, ownMembership, ownerRole)).AssertError(HttpStatusCode.Forbidden));
        (await AddRoleAsync(owner, workspaceId, ownMembership, memberRole)).AssertError(HttpStatusCode.Forbidden);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/members/{ownMembership}/remove", owner.SessionCookie)).AssertError(HttpStatusCode.Forbidden);
        Assert.Equal(["Owner"], RoleNames(await MemberAsync(owner, workspaceId, owner.UserId)));
    }

    [Fact]
    public async Task Nobody_gives_or_takes_a_role_beyond_their_own()
    {
        var (owner, workspaceId, member, membershipId) = await TeamAsync();
        var managers = await CreateRoleAsync(owner, workspaceId, "Managers", "workspace.read", "members.read", "members.role.change", "members.remove");
        var manager = await _system.SignUpAsync();
        await app.AddOrganizationMemberAsync(workspaceId, manager.UserId, "Managers");
        var ownerRole = await _system.RoleIdAsync(owner, workspaceId, "Owner");
        var ownMembership = (await MemberAsync(owner, workspaceId, owner.UserId)).Text("id");

        Assert.Equal(Catalog.Text("en", "Error.RoleExceedsGrantor"),
            (await AddRoleAsync(manager, workspaceId, membershipId, ownerRole)).AssertError(HttpStatusCode.Forbidden));
        (await RemoveRoleAsync(manager, workspaceId, ownMembership, ownerRole)).AssertError(HttpStatusCode.Forbidden);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/members/{ownMembership}/remove", manager.SessionCookie)).AssertError(HttpStatusCode.Forbidden);
        // Within their own permissions they may.
        Assert.Equal(["Managers"], RoleNames((await AddRoleAsync(manager, workspaceId, membershipId, managers)).AssertOk()));
        Assert.Equal(JsonValueKind.Null, (await _wacht.PostAsync($"/workspaces/{workspaceId}/members/{membershipId}/remove", manager.SessionCookie)).AssertOk().ValueKind);
        Assert.DoesNotContain(member.UserId, (await _system.MembersAsync(owner, workspaceId)).Select(m => m.Text("userBizId")));
    }

    [Fact]
    public async Task A_member_without_the_permission_gets_403_and_a_stranger_404_whatever_they_send()
    {
        var (owner, workspaceId, member, membershipId) = await TeamAsync();
        var stranger = await _system.SignUpAsync();
        var memberRole = await _system.RoleIdAsync(owner, workspaceId, "Member");
        string[] mutations =
        [
            $"/workspaces/{workspaceId}/update?name=Mine",
            $"/workspaces/{workspaceId}/members/{membershipId}/remove",
            $"/workspaces/{workspaceId}/members/{membershipId}/roles/{memberRole}/add",
            $"/workspaces/{workspaceId}/members/{membershipId}/roles/{memberRole}/remove",
            $"/workspaces/{workspaceId}/roles?name=Mine",
            $"/workspaces/{workspaceId}/roles/{memberRole}/delete",
        ];
        foreach (var path in mutations)
        {
            Assert.Equal(Catalog.Text("en", "Error.PermissionDenied"), (await _wacht.PostAsync(path, member.SessionCookie)).AssertError(HttpStatusCode.Forbidden));
            var unreadable = new StringContent("{", Encoding.UTF8, "application/json");
            Assert.Equal(Catalog.Text("en", "Error.NotFound"), (await _wacht.PostAsync(path, stranger.SessionCookie, unreadable)).AssertError(HttpStatusCode.NotFound));
        }
        // Members read the members and the roles (the Member role has members.read and workspace.read); strangers do not.
        (await _wacht.GetAsync($"/workspaces/{workspaceId}/members", member.SessionCookie)).AssertOk();
        (await _wacht.GetAsync($"/workspaces/{workspaceId}/roles", member.SessionCookie)).AssertOk();
        (await _wacht.GetAsync($"/workspaces/{workspaceId}/members", stranger.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await _wacht.GetAsync($"/workspaces/{workspaceId}/roles", stranger.SessionCookie)).AssertError(HttpStatusCode.NotFound);
        (await _wacht.GetAsync($"/workspaces/{workspaceId}/roles", cookie: null)).AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Roles_are_listed_created_from_form_fields_and_deleted()
    {
        var (owner, workspaceId, _, _) = await TeamAsync();

        var created = (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie,
            Form(("name", "Auditors"), ("permissions", "audit.read"), ("permissions", "members.read")))).AssertOk();

        Assert.Equal(RoleKeys, created.EnumerateObject().Select(p => p.Name).ToArray());
        // In the catalogue's order, whatever the form's.
        Assert.Equal(["members.read", "audit.read"], created.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        var roles = (await _wacht.GetAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie)).AssertOk().EnumerateArray().ToArray();
        Assert.Equal(["Owner", "Member", "Auditors"], roles.Select(r => r.Text("name")));
        Assert.Equal(Permissions.All, roles[0].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        // A JSON body with an array works too; names are unique; permissions come from the catalogue.
        var json = new StringContent("""{"name":"Readers","permissions":["members.read"]}""", Encoding.UTF8, "application/json");
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie, json)).AssertOk();
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie, Form(("name", "auditors")))).AssertError(HttpStatusCode.Conflict);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie, Form(("name", "X"), ("permissions", "root")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie, Form(("permissions", "members.read")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles", owner.SessionCookie, Form(("name", "A"), ("name", "B")))).AssertError(HttpStatusCode.BadRequest);

        Assert.Equal(JsonValueKind.Null, (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles/{created.Text("id")}/delete", owner.SessionCookie)).AssertOk().ValueKind);
        Assert.DoesNotContain("Auditors", (await _system.RolesAsync(owner, workspaceId)).Select(r => r.Text("roleName")));
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles/{roles[1].Text("id")}/delete", owner.SessionCookie)).AssertError(HttpStatusCode.Conflict);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/roles/{created.Text("id")}/delete", owner.SessionCookie)).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_update_renames_and_sets_the_policy_field_by_field()
    {
        var (owner, workspaceId, member, _) = await TeamAsync();

        var renamed = (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("name", "Renamed")))).AssertOk();

        Assert.Equal("Renamed", renamed.Text("name"));
        Assert.Equal(workspaceId, renamed.Text("id"));
        Assert.False(renamed.GetProperty("enable_ip_restriction").GetBoolean());

        var restricted = (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie,
            Form(("enable_ip_restriction", "true"), ("whitelisted_ips", WachtApi.ClientIp), ("whitelisted_ips", "203.0.113.0/24")))).AssertOk();

        Assert.True(restricted.GetProperty("enable_ip_restriction").GetBoolean());
        Assert.Equal([WachtApi.ClientIp + "/32", "203.0.113.0/24"], restricted.GetProperty("whitelisted_ips").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("Renamed", restricted.Text("name"));
        // Turning the restriction off keeps the rest of the policy; enforcing MFA without it would lock the caller out.
        var open = (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("enable_ip_restriction", "false")))).AssertOk();
        Assert.Empty(open.GetProperty("whitelisted_ips").EnumerateArray());
        var lockedOut = await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("enforce_2fa", "true")));
        Assert.Equal(HttpStatusCode.Conflict, lockedOut.Status);
        Assert.Equal("mfa_required", lockedOut.Json.GetProperty("errors")[0].Text("type"));
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("enforce_2fa", "yes")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("enable_ip_restriction", "true")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("whitelisted_ips", "not-an-ip")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("name", "")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync($"/workspaces/{workspaceId}/update", owner.SessionCookie, Form(("description", "Ours")))).AssertError(HttpStatusCode.BadRequest);
        Assert.Equal("Renamed", (await _wacht.WorkspaceMembershipsAsync(member)).Single(m => m.GetProperty("workspace").Text("id") == workspaceId)
            .GetProperty("workspace").Text("name"));
    }

    [Fact]
    public async Task An_owner_of_an_organization_creates_their_one_workspace_in_it()
    {
        var founder = await _system.SignUpAsync();
        // An organization the founder owns without a workspace of their own yet (as an operator may set one up).
        var organizationId = await app.WithDbAsync(async db =>
        {
            var institution = Institution.CreateSelfService("Founded", founder.UserId, DateTimeOffset.UtcNow);
            db.Institutions.Add(institution);
            await db.SaveChangesAsync();
            return institution.Id;
        });
        await app.JoinOrganizationAsync(organizationId, founder.UserId, InstitutionRole.Owner);
        var other = await _system.SignUpAsync();
        var otherWorkspace = await _system.CreateWorkspaceAsync(other, "Other");
        var otherOrganization = await app.InstitutionOfAsync(otherWorkspace);
        await app.AddOrganizationMemberAsync(otherWorkspace, founder.UserId);

        (await _wacht.PostAsync("/workspaces", founder.SessionCookie, Form(("name", "Mine")))).AssertError(HttpStatusCode.BadRequest);
        (await _wacht.PostAsync("/workspaces", founder.SessionCookie, Form(("name", "Mine"), ("organization_id", otherOrganization)))).AssertError(HttpStatusCode.Forbidden);
        var nowhere = await app.InstitutionOfAsync(await _system.CreateWorkspaceAsync(await _system.SignUpAsync(), "Elsewhere"));
        (await _wacht.PostAsync("/workspaces", founder.SessionCookie, Form(("name", "Mine"), ("organization_id", nowhere)))).AssertError(HttpStatusCode.NotFound);
        (await _wacht.PostAsync("/workspaces", founder.SessionCookie, Form(("name", ""), ("organization_id", organizationId)))).AssertError(HttpStatusCode.BadRequest);

        var created = (await _wacht.PostAsync("/workspaces", founder.SessionCookie, Form(("name", "Mine"), ("organization_id", organizationId)))).AssertOk();

        Assert.Equal(["workspace", "membership"], created.EnumerateObject().Select(p => p.Name).ToArray());
        var workspaceId = created.GetProperty("workspace").Text("id");
        Assert.Equal("Mine", created.GetProperty("workspace").Text("name"));
        Assert.Equal(organizationId, created.GetProperty("workspace").GetProperty("organization").Text("id"));
        Assert.Equal(workspaceId, created.GetProperty("membership").GetProperty("workspace").Text("id"));
        Assert.Equal(["Owner"], RoleNames(created.GetProperty("membership")));
        Assert.Contains(workspaceId, (await _wacht.WorkspaceMembershipsAsync(founder)).Select(m => m.GetProperty("workspace").Text("id")));
        // One self-created workspace per user.
        Assert.Equal(Catalog.Text("en", "Error.AlreadyOwnsWorkspace"),
            (await _wacht.PostAsync("/workspaces", founder.SessionCookie, Form(("name", "Again"), ("organization_id", organizationId)))).AssertError(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_one_owner()
    {
        for (var round = 0; round < 3; round++)
        {
            var (first, workspaceId, second, secondMembership) = await TeamAsync();
            var ownerRole = await _system.RoleIdAsync(first, workspaceId, "Owner");
            (await AddRoleAsync(first, workspaceId, secondMembership, ownerRole)).AssertOk();
            var firstMembership = (await MemberAsync(first, workspaceId, first.UserId)).Text("id");

            var answers = await Task.WhenAll(
                RemoveRoleAsync(first, workspaceId, secondMembership, ownerRole),
                RemoveRoleAsync(second, workspaceId, firstMembership, ownerRole));

            Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            var refused = Assert.Single(answers, a => a.Status != HttpStatusCode.OK);
            refused.AssertError(HttpStatusCode.Forbidden);
            var owners = await app.WithDbAsync(db => db.WorkspaceMemberships.CountAsync(m => m.WorkspaceId == workspaceId && m.RoleId == ownerRole));
            Assert.Equal(1, owners);
        }
    }
}
