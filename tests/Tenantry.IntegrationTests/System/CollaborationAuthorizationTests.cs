using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// Every managing operation of roles, invitations and members goes through the workspace
/// authorization policies: a plain Member gets 4030 on each, a non-member 4040 on each
/// (never learning that the workspace exists), and nothing changes.
/// </summary>
public sealed class CollaborationAuthorizationTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private readonly SystemApi _api = app.System;

    private sealed record Setup(TestUser Owner, TestUser Member, TestUser Stranger, string WorkspaceId, string CustomRoleId, string MemberRoleId, string InvitationId);

    private async Task<Setup> SetUpAsync()
    {
        var owner = await _api.SignUpAsync();
        var member = await _api.SignUpAsync();
        var stranger = await _api.SignUpAsync();
        var workspace = await _api.CreateWorkspaceAsync(owner);
        await _api.CreateWorkspaceAsync(stranger, "Stranger's own");
        await _api.JoinAsync(owner, workspace, member);
        var custom = (await _api.CreateRoleAsync(owner, workspace, "Custom", "workspace.read")).AssertOk().Text("roleBizId");
        var memberRole = await _api.RoleIdAsync(owner, workspace, "Member");
        var invitation = await _api.InvitedAsync(owner, workspace, SystemApi.NewEmail("pending"), memberRole);
        return new Setup(owner, member, stranger, workspace, custom, memberRole, invitation);
    }

    /// <summary>Each managing operation, as <paramref name="caller"/> would try it.</summary>
    private IEnumerable<(string Name, Func<Task<ApiResponse>> Call)> ManagingOperations(Setup s, TestUser caller)
    {
        var ws = $"/web/v1/workspaces/{s.WorkspaceId}";
        yield return ("create role", () => _api.CreateRoleAsync(caller, s.WorkspaceId, "Sneaky", "workspace.read"));
        yield return ("update role", () => _api.PatchAsync($"{ws}/roles/{s.CustomRoleId}", new { roleName = "Renamed" }, caller.AccessToken));
        yield return ("delete role", () => _api.SendAsync(HttpMethod.Delete, $"{ws}/roles/{s.CustomRoleId}", token: caller.AccessToken));
        yield return ("invite", () => _api.InviteAsync(caller, s.WorkspaceId, SystemApi.NewEmail("x"), s.MemberRoleId));
        yield return ("list pending invitations", () => _api.GetAsync($"{ws}/invitations", caller.AccessToken));
        yield return ("revoke invitation", () => _api.PostAsync($"{ws}/invitations/{s.InvitationId}/revoke", token: caller.AccessToken));
        yield return ("resend invitation", () => _api.PostAsync($"{ws}/invitations/{s.InvitationId}/resend", token: caller.AccessToken));
        yield return ("change role", () => _api.ChangeRoleAsync(caller, s.WorkspaceId, s.Owner.UserId, s.CustomRoleId));
        yield return ("remove member", () => _api.RemoveMemberAsync(caller, s.WorkspaceId, s.Owner.UserId));
        yield return ("transfer ownership", () => _api.TransferAsync(caller, s.WorkspaceId, caller.UserId));
        yield return ("read audit trail", () => _api.GetAsync($"{ws}/audit-events", caller.AccessToken));
        // Bodies that would not even validate still answer the authorization failure first.
        yield return ("create role, bad body", () => _api.PostAsync($"{ws}/roles", """{"roleName":""}""", caller.AccessToken));
        yield return ("invite, bad body", () => _api.PostAsync($"{ws}/invitations", """{"email":"nope"}""", caller.AccessToken));
    }

    [Fact]
    public async Task A_plain_member_can_do_none_of_the_managing_operations()
    {
        var s = await SetUpAsync();
        foreach (var (name, call) in ManagingOperations(s, s.Member))
        {
            var response = await call();
            Assert.True(response.Status == HttpStatusCode.Forbidden && response.Code == "4030", $"{name}: {response}");
            response.AssertEnvelope(HttpStatusCode.Forbidden, "4030", "1.0.0");
        }
        await AssertUnchangedAsync(s);
        // Reading is what a Member may do.
        Assert.Equal(3, (await _api.RolesAsync(s.Member, s.WorkspaceId)).Length);
        Assert.Equal(2, (await _api.MembersAsync(s.Member, s.WorkspaceId)).Length);
    }

    [Fact]
    public async Task A_non_member_gets_not_found_on_every_operation()
    {
        var s = await SetUpAsync();
        var reads = new (string, Func<Task<ApiResponse>>)[]
        {
            ("list roles", () => _api.GetAsync($"/web/v1/workspaces/{s.WorkspaceId}/roles", s.Stranger.AccessToken)),
            ("list members", () => _api.GetAsync($"/web/v1/workspaces/{s.WorkspaceId}/members", s.Stranger.AccessToken)),
        };
        foreach (var (name, call) in ManagingOperations(s, s.Stranger).Concat(reads))
        {
            var response = await call();
            Assert.True(response.Status == HttpStatusCode.NotFound && response.Code == "4040", $"{name}: {response}");
            response.AssertEnvelope(HttpStatusCode.NotFound, "4040", "1.0.0");
        }
        await AssertUnchangedAsync(s);
    }

    [Fact]
    public async Task Unknown_and_malformed_workspace_ids_are_not_found()
    {
        var s = await SetUpAsync();
        foreach (var id in new[] { "ws_00000000000000000000000000", "garbage", s.CustomRoleId })
        {
            (await _api.GetAsync($"/web/v1/workspaces/{id}/members", s.Owner.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
            (await _api.CreateRoleAsync(s.Owner, id, "X", "workspace.read")).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        }
    }

    [Fact]
    public async Task Without_a_token_every_operation_is_4010()
    {
        var s = await SetUpAsync();
        var anonymous = s.Member with { AccessToken = "not-a-token" };
        foreach (var (name, call) in ManagingOperations(s, anonymous))
        {
            var response = await call();
            Assert.True(response.Status == HttpStatusCode.Unauthorized && response.Code == "4010", $"{name}: {response}");
        }
    }

    private async Task AssertUnchangedAsync(Setup s)
    {
        var roles = await _api.RolesAsync(s.Owner, s.WorkspaceId);
        Assert.Equal(["Owner", "Member", "Custom"], roles.Select(r => r.Text("roleName")));
        var members = await _api.MembersAsync(s.Owner, s.WorkspaceId);
        Assert.Equal(["Owner", "Member"], members.Select(m => m.Text("workspaceRoleName")));
        var pending = (await _api.GetAsync($"/web/v1/workspaces/{s.WorkspaceId}/invitations", s.Owner.AccessToken)).AssertOk();
        Assert.Equal(s.InvitationId, Assert.Single(pending.EnumerateArray()).Text("invitationBizId"));
        // The member's accepted invitation and the pending one: nothing was added, revoked or resent. The member's own
        // events are the accept and the member.added it records.
        Assert.Equal(2, await app.CountAsync<Domain.Invitations.Invitation>(q => q.Where(i => i.WorkspaceId == s.WorkspaceId)));
        Assert.Equal(0, await app.CountAsync<Domain.Audit.AuditEvent>(q => q.Where(e => e.WorkspaceId == s.WorkspaceId
            && (e.Action == "invitation.resent" || e.Action == "invitation.revoked"
                || e.ActorUserId != s.Owner.UserId && e.Action != "invitation.accepted" && e.Action != "member.added"))));
    }
}
