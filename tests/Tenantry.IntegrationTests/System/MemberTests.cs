using System.Net;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>Members (CONTRACT 5): paged list, role change, removal, ownership transfer, and "never without an owner".</summary>
public sealed class MemberTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId)> OwnerAsync()
    {
        var owner = await _api.SignUpAsync();
        return (owner, await _api.CreateWorkspaceAsync(owner));
    }

    private async Task<TestUser> MemberAsync(TestUser owner, string ws, string role = "Member")
    {
        var member = await _api.SignUpAsync();
        await _api.JoinAsync(owner, ws, member, role);
        return member;
    }

    private Task<int> OwnerCountAsync(string ws) => app.WithDbAsync(db =>
        (from m in db.WorkspaceMemberships
         where m.WorkspaceId == ws
         join r in db.WorkspaceRoles on m.RoleId equals r.Id
         where r.BuiltIn == Domain.Memberships.BuiltInRole.Owner
         select m).CountAsync());

    [Fact]
    public async Task The_member_list_is_paged_in_join_order()
    {
        var (owner, ws) = await OwnerAsync();
        var members = new List<TestUser> { owner };
        for (var i = 0; i < 4; i++)
        {
            members.Add(await MemberAsync(owner, ws));
        }

        var all = await _api.MembersAsync(owner, ws);
        Assert.Equal(members.Select(m => m.UserId), all.Select(m => m.Text("userBizId")));
        var page = await _api.GetAsync($"/web/v1/workspaces/{ws}/members?page=2&pageSize=2", owner.AccessToken);
        Assert.Equal(members.Skip(2).Take(2).Select(m => m.UserId), page.AssertOk("1.0.0").EnumerateArray().Select(m => m.Text("userBizId")));
        Assert.Equal("5", page.Header("X-Total-Count"));
        Assert.Empty(await _api.MembersAsync(owner, ws, "?page=4&pageSize=2"));
        Assert.Single(await _api.MembersAsync(owner, ws, "?page=3&pageSize=2"));
    }

    [Theory]
    [InlineData("?page=0", "page")]
    [InlineData("?page=-1", "page")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=201", "pageSize")]
    [InlineData("?page=100001", "page")]
    [InlineData("?page=abc", "page")]
    [InlineData("?pageSize=1.5", "pageSize")]
    [InlineData("?page=99999999999", "page")]
    public async Task Paging_parameters_are_validated(string query, string field)
    {
        var (owner, ws) = await OwnerAsync();
        (await _api.GetAsync($"/web/v1/workspaces/{ws}/members{query}", owner.AccessToken)).AssertValidationError(field);
        (await _api.GetAsync($"/web/v1/workspaces/{ws}/audit-events{query}", owner.AccessToken)).AssertValidationError(field);
        (await _api.GetAsync($"/web/v1/workspaces/{ws}/invitations{query}", owner.AccessToken)).AssertValidationError(field);
    }

    [Fact]
    public async Task The_largest_page_size_is_accepted()
    {
        var (owner, ws) = await OwnerAsync();
        Assert.Single(await _api.MembersAsync(owner, ws, "?page=1&pageSize=200"));
    }

    [Fact]
    public async Task Changing_a_role_answers_the_member_and_shows_in_their_list()
    {
        var (owner, ws) = await OwnerAsync();
        var member = await MemberAsync(owner, ws);
        var editor = (await _api.CreateRoleAsync(owner, ws, "Editor", "workspace.read", "workspace.update")).AssertOk().Text("roleBizId");

        var changed = (await _api.ChangeRoleAsync(owner, ws, member.UserId, editor)).AssertOk("1.0.0");

        Assert.Equal("Editor", changed.Text("workspaceRoleName"));
        Assert.Equal(editor, changed.Text("workspaceRoleBizId"));
        Assert.Equal("Editor", Assert.Single(await _api.ListMineAsync(member)).Text("workspaceRoleName"));
        // The new role's permissions apply at once.
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}", new { workspaceName = "By the editor" }, member.AccessToken)).AssertOk();
        // Changing to the same role again changes nothing.
        Assert.Equal(changed.GetRawText(), (await _api.ChangeRoleAsync(owner, ws, member.UserId, editor)).AssertOk().GetRawText());
    }

    [Theory]
    [InlineData("""{"userBizId":"MEMBER","roleBizId":"role_00000000000000000000000000"}""", "$.roleBizId")]
    [InlineData("""{"userBizId":"MEMBER","roleBizId":"nonsense"}""", "$.roleBizId")]
    [InlineData("""{"roleBizId":"ROLE"}""", "$.userBizId")]
    [InlineData("""{"userBizId":"MEMBER"}""", "$.roleBizId")]
    [InlineData("""{"userBizId":"MEMBER","roleBizId":42}""", "$.roleBizId")]
    [InlineData("""{}""", "$.userBizId")]
    [InlineData("""{"userBizId":"","roleBizId":"ROLE"}""", "$.userBizId")]
    [InlineData("""{"userBizId":7,"roleBizId":"ROLE"}""", "$.userBizId")]
    public async Task Role_change_validation(string body, string field)
    {
        var (owner, ws) = await OwnerAsync();
        var member = await MemberAsync(owner, ws);
        var role = await _api.RoleIdAsync(owner, ws, "Owner");
        var json = body.Replace("MEMBER", member.UserId, StringComparison.Ordinal).Replace("\"ROLE\"", $"\"{role}\"", StringComparison.Ordinal);
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/members/role/change", json, owner.AccessToken)).AssertValidationError(field);
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/members/role/change", token: owner.AccessToken)).AssertValidationError("$");
        Assert.Equal("Member", Assert.Single(await _api.ListMineAsync(member)).Text("workspaceRoleName"));
    }

    /// <summary>
    /// Someone who is not a member of the workspace, whether the id names another account, nobody, or is
    /// not even shaped like an id, is "not found" in a body exactly as in a path (CONTRACT 3 and 8);
    /// only a missing or empty <c>userBizId</c> is a 4000.
    /// </summary>
    [Fact]
    public async Task A_user_who_is_not_a_member_is_404_in_a_role_change_body_as_in_a_path()
    {
        var (owner, ws) = await OwnerAsync();
        var member = await MemberAsync(owner, ws);
        var stranger = await _api.SignUpAsync();
        var role = await _api.RoleIdAsync(owner, ws, "Owner");

        foreach (var target in new[] { stranger.UserId, "usr_00000000000000000000000000", "garbage" })
        {
            (await _api.ChangeRoleAsync(owner, ws, target, role)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.0.0");
            // An unknown role as well: the member comes first, as the path's member does.
            (await _api.ChangeRoleAsync(owner, ws, target, "role_00000000000000000000000000")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
            (await _api.RemoveMemberAsync(owner, ws, target)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.0.0");
        }
        Assert.Equal(1, await OwnerCountAsync(ws));
        Assert.Equal("Member", (await _api.MembersAsync(owner, ws)).Item("userBizId", member.UserId).Text("workspaceRoleName"));
    }

    [Fact]
    public async Task The_last_owner_cannot_be_demoted_but_one_of_two_can()
    {
        var (owner, ws) = await OwnerAsync();
        var memberRole = await _api.RoleIdAsync(owner, ws, "Member");
        (await _api.ChangeRoleAsync(owner, ws, owner.UserId, memberRole)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER", "1.0.0");

        var second = await MemberAsync(owner, ws, "Owner");
        (await _api.ChangeRoleAsync(second, ws, owner.UserId, memberRole)).AssertOk();
        (await _api.ChangeRoleAsync(second, ws, second.UserId, memberRole)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER");
        Assert.Equal(1, await OwnerCountAsync(ws));
    }

    [Fact]
    public async Task A_role_changer_cannot_raise_anyone_beyond_their_own_permissions_nor_touch_owners()
    {
        var (owner, ws) = await OwnerAsync();
        (await _api.CreateRoleAsync(owner, ws, "Manager", "workspace.read", "members.read", "members.role.change", "members.remove")).AssertOk();
        var auditor = (await _api.CreateRoleAsync(owner, ws, "Auditor", "audit.read")).AssertOk().Text("roleBizId");
        var manager = await MemberAsync(owner, ws, "Manager");
        var member = await MemberAsync(owner, ws);
        var ownerRole = await _api.RoleIdAsync(owner, ws, "Owner");
        var memberRole = await _api.RoleIdAsync(owner, ws, "Member");

        (await _api.ChangeRoleAsync(manager, ws, member.UserId, auditor)).AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR", "1.0.0");
        (await _api.ChangeRoleAsync(manager, ws, member.UserId, ownerRole)).AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        (await _api.ChangeRoleAsync(manager, ws, manager.UserId, ownerRole)).AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        (await _api.ChangeRoleAsync(manager, ws, owner.UserId, memberRole)).AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        (await _api.RemoveMemberAsync(manager, ws, owner.UserId)).AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
        Assert.Equal("Member", (await _api.MembersAsync(owner, ws)).Item("userBizId", member.UserId).Text("workspaceRoleName"));
        (await _api.RemoveMemberAsync(manager, ws, member.UserId)).AssertOk();
        Assert.Equal(1, await OwnerCountAsync(ws));
    }

    [Fact]
    public async Task Removing_a_member_moves_their_default_and_they_lose_access()
    {
        var (owner, ws) = await OwnerAsync();
        var member = await _api.SignUpAsync();
        var own = await _api.CreateWorkspaceAsync(member, "Their own");
        await _api.JoinAsync(owner, ws, member);
        (await _api.PostAsync($"/web/v1/tenant/workspaces/{ws}/default", token: member.AccessToken)).AssertOk();

        (await _api.RemoveMemberAsync(owner, ws, member.UserId)).AssertOk("1.0.0");

        var item = Assert.Single(await _api.ListMineAsync(member));
        Assert.Equal(own, item.Text("workspaceBizId"));
        Assert.True(item.Flag("isDefault"));
        (await _api.GetAsync($"/web/v1/workspaces/{ws}", member.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Single(await _api.MembersAsync(owner, ws));
        Assert.Equal(1, await app.WithDbAsync(db => db.Workspaces.Where(w => w.Id == ws).Select(w => w.MemberCount).SingleAsync()));
        (await _api.RemoveMemberAsync(owner, ws, member.UserId)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.0.0");
        (await _api.RemoveMemberAsync(owner, ws, "garbage")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Fact]
    public async Task Removing_someone_whose_only_workspace_was_the_default_leaves_them_without_one()
    {
        var (owner, ws) = await OwnerAsync();
        var member = await MemberAsync(owner, ws);
        Assert.True(Assert.Single(await _api.ListMineAsync(member)).Flag("isDefault"));

        (await _api.RemoveMemberAsync(owner, ws, member.UserId)).AssertOk();

        Assert.Empty(await _api.ListMineAsync(member));
        Assert.Equal(0, await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.UserId == member.UserId && m.IsDefault)));
    }

    [Fact]
    public async Task The_last_owner_cannot_be_removed()
    {
        var (owner, ws) = await OwnerAsync();
        (await _api.RemoveMemberAsync(owner, ws, owner.UserId)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER", "1.0.0");
        Assert.Single(await _api.MembersAsync(owner, ws));
    }

    [Fact]
    public async Task Ownership_is_transferred_to_another_active_member()
    {
        var (owner, ws) = await OwnerAsync();
        var member = await MemberAsync(owner, ws);

        var answer = (await _api.TransferAsync(owner, ws, member.UserId)).AssertOk("1.0.0");

        Assert.Equal(member.UserId, answer.Text("userBizId"));
        Assert.True(answer.Flag("isOwner"));
        var members = await _api.MembersAsync(member, ws);
        Assert.Equal("Member", members.Item("userBizId", owner.UserId).Text("workspaceRoleName"));
        Assert.Equal("Owner", members.Item("userBizId", member.UserId).Text("workspaceRoleName"));
        // The former owner is an ordinary member now.
        (await _api.TransferAsync(owner, ws, member.UserId)).AssertEnvelope(HttpStatusCode.Forbidden, "4030", "1.0.0");
        Assert.Equal(1, await OwnerCountAsync(ws));
    }

    [Fact]
    public async Task Ownership_cannot_go_to_oneself_or_an_inactive_member()
    {
        var (owner, ws) = await OwnerAsync();
        var member = await MemberAsync(owner, ws);
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{ws}/members/{member.UserId}", new { status = "INACTIVE" })).AssertOk();

        foreach (var target in new[] { owner.UserId, member.UserId })
        {
            var message = (await _api.TransferAsync(owner, ws, target)).AssertValidationError("$.userBizId");
            Assert.Equal("Must be another active member of the workspace", message);
        }
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/owner/transfer", "{}", owner.AccessToken)).AssertValidationError("$.userBizId");
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/owner/transfer", """{"userBizId":""}""", owner.AccessToken)).AssertValidationError("$.userBizId");
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/owner/transfer", token: owner.AccessToken)).AssertValidationError("$");
        Assert.True((await _api.MembersAsync(owner, ws)).Item("userBizId", owner.UserId).Flag("isOwner"));
    }

    [Fact]
    public async Task Ownership_transfer_to_a_user_who_is_not_a_member_is_404_as_in_a_path()
    {
        var (owner, ws) = await OwnerAsync();
        var stranger = await _api.SignUpAsync();

        foreach (var target in new[] { stranger.UserId, "usr_00000000000000000000000000", "garbage" })
        {
            (await _api.TransferAsync(owner, ws, target)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.0.0");
            (await _api.RemoveMemberAsync(owner, ws, target)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.0.0");
        }
        Assert.True((await _api.MembersAsync(owner, ws)).Item("userBizId", owner.UserId).Flag("isOwner"));
        Assert.Equal(1, await OwnerCountAsync(ws));
    }

    [Fact]
    public async Task Only_an_owner_transfers_ownership_even_with_every_permission()
    {
        var (owner, ws) = await OwnerAsync();
        (await _api.CreateRoleAsync(owner, ws, "Almighty",
            "workspace.read", "workspace.update", "members.read", "members.invite", "members.remove", "members.role.change", "roles.manage", "audit.read")).AssertOk();
        var almighty = await MemberAsync(owner, ws, "Almighty");
        (await _api.TransferAsync(almighty, ws, almighty.UserId)).AssertEnvelope(HttpStatusCode.Forbidden, "4030");
        // Nor may they make themselves Owner: the Owner role is granted only by owners.
        (await _api.ChangeRoleAsync(almighty, ws, almighty.UserId, await _api.RoleIdAsync(owner, ws, "Owner")))
            .AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR");
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_one_owner()
    {
        for (var round = 0; round < 3; round++)
        {
            var (first, ws) = await OwnerAsync();
            var second = await MemberAsync(first, ws, "Owner");
            var memberRole = await _api.RoleIdAsync(first, ws, "Member");

            var results = await Task.WhenAll(_api.ChangeRoleAsync(first, ws, second.UserId, memberRole), _api.ChangeRoleAsync(second, ws, first.UserId, memberRole));

            // The loser either was demoted already (no permission left: 4030) or would demote the last owner.
            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            var loser = Assert.Single(results, r => r.Status != HttpStatusCode.OK);
            Assert.True(loser.Code is "WORKSPACE.LAST_OWNER" or "4030", loser.ToString());
            Assert.Equal(1, await OwnerCountAsync(ws));
        }
    }

    [Fact]
    public async Task Owners_demoting_themselves_at_once_leave_one_owner()
    {
        var (first, ws) = await OwnerAsync();
        var others = new List<TestUser> { first };
        for (var i = 0; i < 3; i++)
        {
            others.Add(await MemberAsync(first, ws, "Owner"));
        }
        var memberRole = await _api.RoleIdAsync(first, ws, "Member");

        var results = await Task.WhenAll(others.Select(o => _api.ChangeRoleAsync(o, ws, o.UserId, memberRole)));

        Assert.Equal(3, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Single(results, r => r.Status == HttpStatusCode.Conflict && r.Code == "WORKSPACE.LAST_OWNER");
        Assert.Equal(1, await OwnerCountAsync(ws));
    }

    [Fact]
    public async Task Two_owners_removing_each_other_at_once_leave_one_owner()
    {
        for (var round = 0; round < 3; round++)
        {
            var (first, ws) = await OwnerAsync();
            var second = await MemberAsync(first, ws, "Owner");

            var results = await Task.WhenAll(_api.RemoveMemberAsync(first, ws, second.UserId), _api.RemoveMemberAsync(second, ws, first.UserId));

            // The loser is either no longer a member (404) or would remove the last owner (409): never both gone.
            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.Equal(1, await OwnerCountAsync(ws));
            Assert.Equal(1, await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.WorkspaceId == ws)));
        }
    }

    [Fact]
    public async Task An_owner_leaving_while_the_other_demotes_themselves_leaves_one_owner()
    {
        for (var round = 0; round < 3; round++)
        {
            var (first, ws) = await OwnerAsync();
            var second = await MemberAsync(first, ws, "Owner");
            var memberRole = await _api.RoleIdAsync(first, ws, "Member");

            var results = await Task.WhenAll(_api.LeaveAsync(first, ws), _api.ChangeRoleAsync(second, ws, second.UserId, memberRole));

            AssertOneWon(results);
            Assert.Equal(1, await OwnerCountAsync(ws));
        }
    }

    [Fact]
    public async Task Transfers_crossing_each_other_keep_exactly_the_owners_they_should()
    {
        for (var round = 0; round < 3; round++)
        {
            var (first, ws) = await OwnerAsync();
            var second = await MemberAsync(first, ws, "Owner");
            var member = await MemberAsync(first, ws);

            var results = await Task.WhenAll(_api.TransferAsync(first, ws, member.UserId), _api.TransferAsync(second, ws, member.UserId), _api.LeaveAsync(member, ws));

            Assert.True(await OwnerCountAsync(ws) >= 1, string.Join("\n", results.Select(r => r.ToString())));
            // A transfer to the member after they left finds no member: 404, as for any user who is not one.
            Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.NotFound or HttpStatusCode.Forbidden, r.ToString()));
        }
    }

    private static void AssertOneWon(ApiResponse[] results)
    {
        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        var loser = Assert.Single(results, r => r.Status != HttpStatusCode.OK);
        loser.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER");
    }
}
