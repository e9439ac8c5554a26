using System.Net;
using Microsoft.EntityFrameworkCore;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>The default workspace and leaving (CONTRACT 5): one default at most, at least one owner always.</summary>
public sealed class DefaultAndLeaveTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private async Task<(TestUser User, string Own, string Joined)> UserInTwoWorkspacesAsync()
    {
        var user = await _api.SignUpAsync();
        var other = await _api.SignUpAsync();
        var own = await _api.CreateWorkspaceAsync(user, "Own");
        var joined = await _api.CreateWorkspaceAsync(other, "Joined");
        await app.AddMemberAsync(joined, user.UserId);
        return (user, own, joined);
    }

    private Task<ApiResponse> SetDefaultAsync(TestUser user, string workspaceId) =>
        _api.PostAsync($"/web/v1/tenant/workspaces/{workspaceId}/default", token: user.AccessToken);

    private Task<ApiResponse> LeaveAsync(TestUser user, string workspaceId) =>
        _api.PostAsync($"/web/v1/tenant/workspaces/{workspaceId}/leave", token: user.AccessToken);

    private async Task<string?> DefaultOfAsync(TestUser user) =>
        (await _api.ListMineAsync(user)).Where(i => i.GetProperty("isDefault").GetBoolean()).Select(i => i.GetProperty("workspaceBizId").GetString()).SingleOrDefault();

    [Fact]
    public async Task Setting_the_default_moves_it_and_answers_the_list_item()
    {
        var (user, own, joined) = await UserInTwoWorkspacesAsync();
        Assert.Equal(own, await DefaultOfAsync(user));

        var item = (await SetDefaultAsync(user, joined)).AssertOk("2.0.0");

        Assert.Equal(joined, item.GetProperty("workspaceBizId").GetString());
        Assert.True(item.GetProperty("isDefault").GetBoolean());
        Assert.Equal("Member", item.GetProperty("workspaceRoleName").GetString());
        Assert.Equal(joined, await DefaultOfAsync(user));
        // Setting it again changes nothing.
        (await SetDefaultAsync(user, joined)).AssertOk();
        Assert.Equal(joined, await DefaultOfAsync(user));
    }

    [Fact]
    public async Task A_non_member_cannot_set_the_default()
    {
        var user = await _api.SignUpAsync();
        var stranger = await _api.SignUpAsync();
        var workspace = await _api.CreateWorkspaceAsync(stranger);
        (await SetDefaultAsync(user, workspace)).AssertEnvelope(HttpStatusCode.NotFound, "4040", "2.0.0");
        (await SetDefaultAsync(user, "garbage")).AssertEnvelope(HttpStatusCode.NotFound, "4040", "2.0.0");
    }

    [Fact]
    public async Task Suspended_workspaces_and_inactive_memberships_are_not_default_eligible()
    {
        var (user, own, joined) = await UserInTwoWorkspacesAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{joined}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        (await SetDefaultAsync(user, joined)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.NOT_DEFAULT_ELIGIBLE", "2.0.0");

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{joined}", new { workspaceStatus = "ACTIVE" })).AssertOk();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{joined}/members/{user.UserId}", new { status = "INACTIVE" })).AssertOk();
        (await SetDefaultAsync(user, joined)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.NOT_DEFAULT_ELIGIBLE");
        Assert.Equal(own, await DefaultOfAsync(user));
    }

    [Fact]
    public async Task The_current_default_is_refused_once_its_workspace_is_suspended()
    {
        var (user, own, _) = await UserInTwoWorkspacesAsync();
        Assert.Equal(own, await DefaultOfAsync(user));
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{own}", new { workspaceStatus = "SUSPENDED" })).AssertOk();

        // Already the default, but no longer eligible: eligibility is decided first (CONTRACT 3 and 5).
        (await SetDefaultAsync(user, own)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.NOT_DEFAULT_ELIGIBLE", "2.0.0");
        // Refusing changes nothing: suspension does not move the default either.
        Assert.Equal(own, await DefaultOfAsync(user));
    }

    [Fact]
    public async Task The_current_default_is_refused_once_the_membership_is_inactive()
    {
        var (user, _, joined) = await UserInTwoWorkspacesAsync();
        (await SetDefaultAsync(user, joined)).AssertOk();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{joined}/members/{user.UserId}", new { status = "INACTIVE" })).AssertOk();

        (await SetDefaultAsync(user, joined)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.NOT_DEFAULT_ELIGIBLE", "2.0.0");
        Assert.Equal(joined, await DefaultOfAsync(user));
    }

    [Fact]
    public async Task Suspension_does_not_move_the_default()
    {
        var (user, own, _) = await UserInTwoWorkspacesAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{own}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        Assert.Equal(own, await DefaultOfAsync(user));
    }

    [Fact]
    public async Task Concurrent_set_defaults_leave_exactly_one_default()
    {
        var user = await _api.SignUpAsync();
        var workspaces = new List<string> { await _api.CreateWorkspaceAsync(user) };
        for (var i = 0; i < 4; i++)
        {
            var owner = await _api.SignUpAsync();
            var workspace = await _api.CreateWorkspaceAsync(owner, $"W{i}");
            await app.AddMemberAsync(workspace, user.UserId);
            workspaces.Add(workspace);
        }

        var results = await Task.WhenAll(workspaces.SelectMany(w => new[] { w, w }).Select(w => SetDefaultAsync(user, w)));

        Assert.All(results, r => r.AssertOk());
        var defaults = await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.UserId == user.UserId && m.IsDefault));
        Assert.Equal(1, defaults);
        Assert.Single(await _api.ListMineAsync(user), i => i.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task The_last_owner_cannot_leave()
    {
        var owner = await _api.SignUpAsync();
        var workspace = await _api.CreateWorkspaceAsync(owner);

        (await LeaveAsync(owner, workspace)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER");
        Assert.Single(await _api.ListMineAsync(owner));
    }

    [Fact]
    public async Task A_member_leaves_and_the_default_moves_to_the_next_eligible_workspace()
    {
        var (user, own, joined) = await UserInTwoWorkspacesAsync();
        (await SetDefaultAsync(user, joined)).AssertOk();

        var left = await LeaveAsync(user, joined);

        left.AssertOk();
        Assert.Equal(own, await DefaultOfAsync(user));
        Assert.DoesNotContain(await _api.ListMineAsync(user), i => i.GetProperty("workspaceBizId").GetString() == joined);
        (await _api.GetAsync($"/web/v1/workspaces/{joined}", user.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        Assert.Equal(1, await app.WithDbAsync(db => db.Workspaces.Where(w => w.Id == joined).Select(w => w.MemberCount).SingleAsync()));
        Assert.Equal(1, await app.CountAsync<Domain.Audit.AuditEvent>(q => q.Where(e => e.WorkspaceId == joined && e.Action == "member.left")));
    }

    [Fact]
    public async Task Leaving_the_default_skips_ineligible_workspaces_and_may_leave_none()
    {
        var (user, own, joined) = await UserInTwoWorkspacesAsync();
        await SetDefaultAsync(user, joined);
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{own}", new { workspaceStatus = "SUSPENDED" })).AssertOk();

        (await LeaveAsync(user, joined)).AssertOk();

        Assert.Null(await DefaultOfAsync(user));
    }

    [Fact]
    public async Task Leaving_a_workspace_that_is_not_the_default_keeps_the_default()
    {
        var (user, own, joined) = await UserInTwoWorkspacesAsync();
        (await LeaveAsync(user, joined)).AssertOk();
        Assert.Equal(own, await DefaultOfAsync(user));
    }

    [Fact]
    public async Task A_non_member_cannot_leave()
    {
        var user = await _api.SignUpAsync();
        var stranger = await _api.SignUpAsync();
        var workspace = await _api.CreateWorkspaceAsync(stranger);
        (await LeaveAsync(user, workspace)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Fact]
    public async Task Two_owners_leaving_at_once_leave_one_owner_behind()
    {
        for (var round = 0; round < 3; round++)
        {
            var first = await _api.SignUpAsync();
            var second = await _api.SignUpAsync();
            var workspace = await _api.CreateWorkspaceAsync(first);
            await app.AddMemberAsync(workspace, second.UserId, "Owner");

            var results = await Task.WhenAll(LeaveAsync(first, workspace), LeaveAsync(second, workspace));

            Assert.Single(results, r => r.Status == HttpStatusCode.OK);
            Assert.Single(results, r => r.Status == HttpStatusCode.Conflict && r.Code == "WORKSPACE.LAST_OWNER");
            Assert.Equal(1, await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.WorkspaceId == workspace)));
        }
    }
}
