using System.Net;
using System.Text.Json;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;
using Tenantry.IntegrationTests.Security;

namespace Tenantry.IntegrationTests.System;

/// <summary>
/// Who may change a policy (issue 13, section 5): <c>policyConfig</c> needs <c>policies.manage</c>,
/// which owners hold and custom roles may be given; every change is audited with the policy
/// before and after; and nobody can lock themselves out with it.
/// </summary>
public sealed class PolicyPermissionTests(MfaApp app) : IClassFixture<MfaApp>
{
    private const string ClientIp = "198.51.100.7";

    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, string WorkspaceId)> OwnerAsync()
    {
        var owner = await _api.SignUpAsync();
        return (owner, await _api.CreateWorkspaceAsync(owner));
    }

    private async Task<TestUser> MemberInRoleAsync(TestUser owner, string workspaceId, string roleName, params string[] permissions)
    {
        (await _api.CreateRoleAsync(owner, workspaceId, roleName, permissions)).AssertOk();
        var member = await _api.SignUpAsync();
        await app.AddMemberAsync(workspaceId, member.UserId, roleName);
        return member;
    }

    private async Task<JsonElement> PolicyOfAsync(TestUser member) => Assert.Single(await _api.ListMineAsync(member)).GetProperty("policyConfig");

    [Fact]
    public async Task Workspace_update_alone_may_rename_but_not_touch_the_policy()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var editor = await MemberInRoleAsync(owner, workspaceId, "Editor", "workspace.read", "workspace.update");

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Edited" }, editor.AccessToken)).AssertOk("1.3.0");
        foreach (var body in new object[]
        {
            new { policyConfig = new { ipAllowlist = new[] { "198.51.100.0/24" } } },
            """{"policyConfig":null}""",
            new { workspaceName = "And the policy", policyConfig = new { enforceMfa = false } },
        })
        {
            (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", body, editor.AccessToken)).AssertEnvelope(HttpStatusCode.Forbidden, "4030", "1.3.0");
        }
        // Refused as a whole: the name in the last body did not change either.
        Assert.Equal("Edited", Assert.Single(await _api.ListMineAsync(editor)).GetProperty("workspaceName").GetString());
        Assert.Equal(JsonValueKind.Null, (await PolicyOfAsync(editor)).ValueKind);

        var guardian = await MemberInRoleAsync(owner, workspaceId, "Guardian", "workspace.read", "workspace.update", "policies.manage");
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "198.51.100.0/24" } } }, guardian.AccessToken))
            .AssertOk("1.3.0");
        Assert.Equal(["198.51.100.0/24"], (await PolicyOfAsync(guardian)).GetProperty("ipAllowlist").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Policies_manage_is_granted_like_any_other_permission()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var manager = await MemberInRoleAsync(owner, workspaceId, "Role Manager", "workspace.read", "roles.manage");

        // Not a subset of the manager's own permissions: refused, as for every permission.
        (await _api.CreateRoleAsync(manager, workspaceId, "Policy Keeper", "policies.manage"))
            .AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.ROLE_EXCEEDS_GRANTOR", "1.0.0");
        // The owner may hand it out.
        var role = (await _api.CreateRoleAsync(owner, workspaceId, "Policy Keeper", "workspace.read", "policies.manage")).AssertOk();
        Assert.Equal(["workspace.read", "policies.manage"], role.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task A_policy_change_is_audited_with_the_policy_before_and_after()
    {
        var (owner, workspaceId) = await OwnerAsync();

        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "198.51.100.0/24" } } }, owner.AccessToken))
            .AssertOk();
        (await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", """{"policyConfig":null,"workspaceName":"Open Again"}""", owner.AccessToken)).AssertOk();

        var events = await _api.AuditAsync(owner, workspaceId);
        var policyEvents = events.Where(e => e.GetProperty("action").GetString() == "policy.updated").ToArray();
        Assert.Equal(2, policyEvents.Length);
        // This server's clock stands still, so the two share a timestamp: tell them apart by what they say.
        var set = Assert.Single(policyEvents, e => e.GetProperty("details").GetProperty("before").ValueKind == JsonValueKind.Null);
        var cleared = Assert.Single(policyEvents, e => e.GetProperty("details").GetProperty("after").ValueKind == JsonValueKind.Null);
        foreach (var policy in new[] { set.GetProperty("details").GetProperty("after"), cleared.GetProperty("details").GetProperty("before") })
        {
            Assert.Equal(["198.51.100.0/24"], policy.GetProperty("ipAllowlist").EnumerateArray().Select(e => e.GetString()));
            Assert.False(policy.GetProperty("enforceMfa").GetBoolean());
        }
        Assert.All(policyEvents, e => Assert.Equal(owner.UserId, e.GetProperty("actorUserBizId").GetString()));
        Assert.All(policyEvents, e => Assert.Equal(ClientIp, e.GetProperty("clientIp").GetString()));
        // The other fields are audited as before, without the policy.
        var updated = Assert.Single(events, e => e.GetProperty("action").GetString() == "workspace.updated");
        Assert.Equal(["workspaceName"], updated.GetProperty("details").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Nobody_locks_themselves_out_with_a_policy()
    {
        var (owner, workspaceId) = await OwnerAsync();

        var ipRefused = await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } }, owner.AccessToken);
        ipRefused.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.POLICY_LOCKS_OUT_CALLER", "1.3.0");
        Assert.Equal("IP_NOT_ALLOWED", ipRefused.Data.GetProperty("reason").GetString());
        var mfaRefused = await _api.PatchAsync($"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { enforceMfa = true } }, owner.AccessToken);
        mfaRefused.AssertEnvelope(HttpStatusCode.Conflict, "WORKSPACE.POLICY_LOCKS_OUT_CALLER", "1.3.0");
        Assert.Equal("MFA_REQUIRED", mfaRefused.Data.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, (await PolicyOfAsync(owner)).ValueKind);
        Assert.DoesNotContain(await _api.AuditAsync(owner, workspaceId), e => e.GetProperty("action").GetString() == "policy.updated");

        // From an allowed address, and with the second factor proven, the same policies go through.
        (await _api.SendAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } },
            owner.AccessToken, clientIp: "203.0.113.9")).AssertOk("1.3.0");
        await _api.EnableMfaAsync(owner, app.Clock.GetUtcNow());
        (await _api.SendAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", new { policyConfig = new { enforceMfa = true } },
            owner.AccessToken, clientIp: "203.0.113.9")).AssertOk("1.3.0");
    }

    [Fact]
    public async Task The_migration_gives_existing_owner_roles_policies_manage_and_takes_it_back_on_the_way_down()
    {
        var (owner, workspaceId) = await OwnerAsync();
        var ownerRoleId = await _api.RoleIdAsync(owner, workspaceId, WorkspaceRole.OwnerName);

        await OwnerGrantMigrations.AssertGrantsOwnersAsync(app.Services, "OwnersManagePolicies", Permissions.PoliciesManage,
            ownerRoleId, await _api.RoleIdAsync(owner, workspaceId, WorkspaceRole.MemberName));
    }
}
