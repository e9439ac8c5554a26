using System.Net;
using System.Text.Json;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.System;

/// <summary>The audit trail (CONTRACT 5): every collaboration mutation leaves one event, readable with audit.read, newest first.</summary>
public sealed class AuditTrailTests(TenantryApp app) : IClassFixture<TenantryApp>
{
    private static readonly string[] s_eventFields = ["eventBizId", "action", "actorUserBizId", "targetType", "targetBizId", "clientIp", "details", "createdAt"];

    private readonly SystemApi _api = app.System;

    [Fact]
    public async Task Every_mutation_is_recorded_with_who_what_target_when_and_client_ip()
    {
        var owner = await _api.SignUpAsync();
        var alice = await _api.SignUpVerifiedAsync();
        var bert = await _api.SignUpVerifiedAsync();
        var dana = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner);
        var memberRole = await _api.RoleIdAsync(owner, ws, "Member");

        var role = (await _api.CreateRoleAsync(owner, ws, "Reviewer", "workspace.read")).AssertOk().Text("roleBizId");
        (await _api.PatchAsync($"/web/v1/workspaces/{ws}/roles/{role}", new { roleName = "Reviewers" }, owner.AccessToken)).AssertOk();
        var toAlice = await _api.InvitedAsync(owner, ws, alice.Email, memberRole);
        var toBert = await _api.InvitedAsync(owner, ws, bert.Email, memberRole);
        var toNobody = await _api.InvitedAsync(owner, ws, SystemApi.NewEmail(), memberRole);
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{toNobody}/revoke", token: owner.AccessToken)).AssertOk();
        (await _api.PostAsync($"/web/v1/workspaces/{ws}/invitations/{toBert}/resend", token: owner.AccessToken)).AssertOk();
        (await _api.DeclineAsync(bert, toBert)).AssertOk();
        (await _api.AcceptAsync(alice, toAlice)).AssertOk();
        (await _api.ChangeRoleAsync(owner, ws, alice.UserId, role)).AssertOk();
        var spare = (await _api.CreateRoleAsync(owner, ws, "Spare")).AssertOk().Text("roleBizId");
        (await _api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{ws}/roles/{spare}", token: owner.AccessToken)).AssertOk();
        (await _api.TransferAsync(owner, ws, alice.UserId)).AssertOk();
        (await _api.RemoveMemberAsync(alice, ws, owner.UserId)).AssertOk();
        await _api.CreateWorkspaceAsync(dana, "Dana's");
        await _api.JoinAsync(alice, ws, dana);
        (await _api.PostAsync($"/web/v1/tenant/workspaces/{ws}/default", token: dana.AccessToken)).AssertOk();
        (await _api.LeaveAsync(dana, ws)).AssertOk();

        var events = await _api.AuditAsync(alice, ws, "?pageSize=200");

        // Each accepted invitation also records member.added, at the same instant as invitation.accepted (their order in
        // the newest-first list is then the ids' order).
        Assert.Equal(2, events.Count(e => e.Text("action") == "member.added"));
        Assert.Equal(
        [
            "member.left", "default.changed", "invitation.accepted", "invitation.created", "member.removed", "ownership.transferred",
            "role.deleted", "role.created", "member.role_changed", "invitation.accepted", "invitation.declined", "invitation.resent",
            "invitation.revoked", "invitation.created", "invitation.created", "invitation.created", "role.updated", "role.created", "workspace.created",
        ], events.Select(e => e.Text("action")).Where(a => a != "member.added"));
        Assert.All(events, e =>
        {
            Assert.Equal(s_eventFields, e.EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("evt_", e.Text("eventBizId"));
            Assert.Equal("198.51.100.7", e.Text("clientIp"));
            Assert.Equal(JsonValueKind.Object, e.GetProperty("details").ValueKind);
        });
        var timestamps = events.Select(e => e.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(timestamps.OrderDescending(), timestamps);

        var changed = events.Single(e => e.Text("action") == "member.role_changed");
        Assert.Equal(owner.UserId, changed.Text("actorUserBizId"));
        Assert.Equal("member", changed.Text("targetType"));
        Assert.Equal(alice.UserId, changed.Text("targetBizId"));
        Assert.Equal("Member", changed.GetProperty("details").Text("fromRoleName"));
        Assert.Equal("Reviewers", changed.GetProperty("details").Text("toRoleName"));

        var declined = events.Single(e => e.Text("action") == "invitation.declined");
        Assert.Equal(bert.UserId, declined.Text("actorUserBizId"));
        Assert.Equal("invitation", declined.Text("targetType"));
        Assert.Equal(toBert, declined.Text("targetBizId"));

        var removed = events.Single(e => e.Text("action") == "member.removed");
        Assert.Equal(alice.UserId, removed.Text("actorUserBizId"));
        Assert.Equal(owner.UserId, removed.Text("targetBizId"));

        var transferred = events.Single(e => e.Text("action") == "ownership.transferred");
        Assert.Equal(owner.UserId, transferred.GetProperty("details").Text("fromUserBizId"));
        Assert.Equal(alice.UserId, transferred.GetProperty("details").Text("toUserBizId"));

        var created = events.Single(e => e.Text("action") == "role.created" && e.Text("targetBizId") == role);
        Assert.Equal("Reviewer", created.GetProperty("details").Text("name"));
        Assert.Equal(["workspace.read"], created.GetProperty("details").GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task The_trail_is_paged_and_only_for_members_with_audit_read()
    {
        var owner = await _api.SignUpAsync();
        var auditor = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner);
        (await _api.CreateRoleAsync(owner, ws, "Auditor", "audit.read")).AssertOk();
        await _api.JoinAsync(owner, ws, auditor, "Auditor");
        for (var i = 0; i < 3; i++)
        {
            (await _api.CreateRoleAsync(owner, ws, $"R{i}")).AssertOk();
        }

        var all = await _api.AuditAsync(auditor, ws);
        var page = await _api.GetAsync($"/web/v1/workspaces/{ws}/audit-events?page=2&pageSize=2", auditor.AccessToken);

        // workspace.created, role.created, invitation.created, invitation.accepted, member.added, three role.created.
        Assert.Equal(8, all.Length);
        Assert.Equal("8", page.Header("X-Total-Count"));
        Assert.Equal(all.Skip(2).Take(2).Select(e => e.Text("eventBizId")), page.AssertOk("1.0.0").EnumerateArray().Select(e => e.Text("eventBizId")));
        Assert.Equal("R2", all[0].GetProperty("details").Text("name"));
        // Another workspace's events never show.
        var other = await _api.SignUpAsync();
        await _api.CreateWorkspaceAsync(other);
        Assert.Equal(8, (await _api.AuditAsync(owner, ws)).Length);
        (await _api.GetAsync($"/web/v1/workspaces/{ws}/audit-events", other.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
    }

    [Fact]
    public async Task A_refused_change_leaves_no_event()
    {
        var owner = await _api.SignUpAsync();
        var ws = await _api.CreateWorkspaceAsync(owner);
        (await _api.CreateRoleAsync(owner, ws, "Owner")).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ROLE_NAME_EXISTS");
        (await _api.LeaveAsync(owner, ws)).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.LAST_OWNER");
        (await _api.InviteAsync(owner, ws, owner.Email, await _api.RoleIdAsync(owner, ws, "Member"))).AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.ALREADY_MEMBER");

        Assert.Equal(["workspace.created"], (await _api.AuditAsync(owner, ws)).Select(e => e.Text("action")));
    }
}
