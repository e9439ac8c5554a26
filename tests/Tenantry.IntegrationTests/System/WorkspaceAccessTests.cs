using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>GET /web/v1/workspaces/{id}/access/mine: the caller's standing, which product APIs check permissions with.</summary>
public sealed class WorkspaceAccessTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task Members_see_their_role_and_permissions_and_everyone_else_gets_404()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        var member = await _api.SignUpAsync();
        await app.AddMemberAsync(workspaceId, member.UserId);
        var stranger = await _api.SignUpAsync();

        var mine = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/access/mine", owner.AccessToken)).AssertOk("1.0.0");
        Assert.True(mine.GetProperty("isOwner").GetBoolean());
        Assert.Contains("members.invite", mine.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        var theirs = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/access/mine", member.AccessToken)).AssertOk();
        Assert.Equal(member.UserId, theirs.Text("userBizId"));
        Assert.Equal("ACTIVE", theirs.Text("status"));
        Assert.Equal(["workspace.read", "members.read"], theirs.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        Assert.True(theirs.GetProperty("enterable").GetBoolean());
        Assert.Equal("NONE", theirs.Text("restriction"));

        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();
        var suspended = (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/access/mine", member.AccessToken)).AssertOk();
        Assert.False(suspended.GetProperty("enterable").GetBoolean());
        Assert.Equal("WORKSPACE_SUSPENDED", suspended.Text("restriction"));

        (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/access/mine", stranger.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/access/mine")).AssertEnvelope(HttpStatusCode.Unauthorized, "4010");
    }
}
