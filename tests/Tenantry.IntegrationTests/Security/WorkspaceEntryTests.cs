using System.Net;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>
/// Policies and suspension bind management too (issue 13, section 4): a workspace endpoint that
/// is not enterable for the caller answers <c>403 WORKSPACE.NOT_ENTERABLE</c> with the reason,
/// owners included, whatever their permissions; leaving stays possible; operators are not bound;
/// a non-member still learns nothing.
/// </summary>
public sealed class WorkspaceEntryTests(MfaApp app) : IClassFixture<MfaApp>
{
    private const string Outside = "198.51.100.7";
    private const string Inside = "203.0.113.9";

    private readonly SystemApi _api = app.System;

    private async Task<(TestUser Owner, TestUser Member, string WorkspaceId, string InstitutionId)> WorkspaceWithMemberAsync()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        var member = await _api.SignUpAsync();
        await app.AddMemberAsync(workspaceId, member.UserId);
        var institutionId = Assert.Single(await _api.ListMineAsync(owner)).GetProperty("institutionBizId").GetString()!;
        return (owner, member, workspaceId, institutionId);
    }

    /// <summary>Every workspace endpoint an owner may call, with a body where it needs one.</summary>
    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> OwnerRoutes(string workspaceId, string memberId) =>
    [
        (HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}", null),
        (HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Renamed" }),
        (HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/roles", null),
        (HttpMethod.Post, $"/web/v1/workspaces/{workspaceId}/roles", new { roleName = "Auditor", permissions = new[] { "audit.read" } }),
        (HttpMethod.Post, $"/web/v1/workspaces/{workspaceId}/invitations", new { email = SystemApi.NewEmail(), roleBizId = "role_00000000000000000000000000" }),
        (HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/invitations", null),
        (HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/members", null),
        (HttpMethod.Post, $"/web/v1/workspaces/{workspaceId}/members/role/change", new { userBizId = memberId, roleBizId = "role_00000000000000000000000000" }),
        (HttpMethod.Delete, $"/web/v1/workspaces/{workspaceId}/members/{memberId}", null),
        (HttpMethod.Post, $"/web/v1/workspaces/{workspaceId}/owner/transfer", new { userBizId = memberId }),
        (HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/audit-events", null),
        (HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/webhooks", null),
    ];

    private static void AssertNotEnterable(ApiResponse response, string reason)
    {
        response.AssertEnvelope(HttpStatusCode.Forbidden, "WORKSPACE.NOT_ENTERABLE");
        Assert.Equal(reason, response.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_suspended_workspace_refuses_its_owner_everything_but_leaving_and_the_operator_still_manages_it()
    {
        var (owner, member, workspaceId, _) = await WorkspaceWithMemberAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED" })).AssertOk();

        foreach (var (method, path, body) in OwnerRoutes(workspaceId, member.UserId))
        {
            AssertNotEnterable(await _api.SendAsync(method, path, body, owner.AccessToken), "WORKSPACE_SUSPENDED");
        }
        // Nothing changed behind the refusals.
        Assert.Equal(2, await app.CountAsync<Domain.Memberships.WorkspaceMembership>(q => q.Where(m => m.WorkspaceId == workspaceId)));
        Assert.Equal("Acme", Assert.Single(await _api.ListMineAsync(owner)).GetProperty("workspaceName").GetString());

        // The reason is localized; the code is not.
        var japanese = await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/members", owner.AccessToken, language: "ja");
        AssertNotEnterable(japanese, "WORKSPACE_SUSPENDED");
        Assert.Equal(Catalog.Text("ja", "Eligibility.WorkspaceSuspended"), japanese.MessageText);

        // Leaving stays possible.
        (await _api.LeaveAsync(member, workspaceId)).AssertOk();

        // The operator is not bound, and once it reactivates the workspace the owner is back.
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { description = "Reviewed" })).AssertOk();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "ACTIVE" })).AssertOk();
        (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/members", owner.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task Outside_the_workspace_allowlist_the_owner_cannot_manage_and_inside_it_can()
    {
        var (owner, member, workspaceId, _) = await WorkspaceWithMemberAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } })).AssertOk();

        foreach (var (method, path, body) in OwnerRoutes(workspaceId, member.UserId))
        {
            AssertNotEnterable(await _api.SendAsync(method, path, body, owner.AccessToken, clientIp: Outside), "IP_NOT_ALLOWED");
        }
        (await _api.SendAsync(HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/members", token: owner.AccessToken, clientIp: Inside)).AssertOk();
        (await _api.SendAsync(HttpMethod.Patch, $"/web/v1/workspaces/{workspaceId}", new { workspaceName = "Inside Job" }, owner.AccessToken, clientIp: Inside))
            .AssertOk();
        // A member outside the list may still leave.
        (await _api.SendAsync(HttpMethod.Post, $"/web/v1/tenant/workspaces/{workspaceId}/leave", token: member.AccessToken, clientIp: Outside)).AssertOk();
    }

    [Fact]
    public async Task The_institution_allowlist_binds_management_of_its_workspaces_too()
    {
        var (owner, _, workspaceId, institutionId) = await WorkspaceWithMemberAsync();
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { ipAllowlist = new[] { "203.0.113.0/24" } })).AssertOk();

        AssertNotEnterable(await _api.SendAsync(HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}", token: owner.AccessToken, clientIp: Outside), "IP_NOT_ALLOWED");
        (await _api.SendAsync(HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}", token: owner.AccessToken, clientIp: Inside)).AssertOk("1.3.0");
    }

    [Fact]
    public async Task Enforced_mfa_refuses_a_password_session_until_it_proves_the_second_factor()
    {
        var (owner, _, workspaceId, institutionId) = await WorkspaceWithMemberAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { enforceMfa = true } })).AssertOk();

        AssertNotEnterable(await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/members", owner.AccessToken), "MFA_REQUIRED");

        // Both restrictions at once are named together.
        (await _api.AdminPatchAsync($"/admin/v1/institutions/{institutionId}", new { ipAllowlist = new[] { "203.0.113.0/24" } })).AssertOk();
        AssertNotEnterable(await _api.SendAsync(HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/members", token: owner.AccessToken, clientIp: Outside),
            "IP_AND_MFA_REQUIRED");

        // Enrolling verifies this session: now the owner may manage, from an allowed address.
        await _api.EnableMfaAsync(owner, app.Clock.GetUtcNow());
        (await _api.SendAsync(HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/members", token: owner.AccessToken, clientIp: Inside)).AssertOk();
        AssertNotEnterable(await _api.SendAsync(HttpMethod.Get, $"/web/v1/workspaces/{workspaceId}/members", token: owner.AccessToken, clientIp: Outside),
            "IP_NOT_ALLOWED");
    }

    [Fact]
    public async Task An_inactive_membership_is_refused_with_its_reason_rather_than_as_a_missing_permission()
    {
        var (_, member, workspaceId, _) = await WorkspaceWithMemberAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}/members/{member.UserId}", new { status = "INACTIVE" })).AssertOk();

        AssertNotEnterable(await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/members", member.AccessToken), "MEMBERSHIP_INACTIVE");
        (await _api.LeaveAsync(member, workspaceId)).AssertOk();
    }

    [Fact]
    public async Task A_stranger_learns_nothing_about_a_suspended_or_restricted_workspace()
    {
        var (_, _, workspaceId, _) = await WorkspaceWithMemberAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { workspaceStatus = "SUSPENDED", policyConfig = new { enforceMfa = true } })).AssertOk();
        var stranger = await _api.SignUpAsync();

        foreach (var (method, path, body) in OwnerRoutes(workspaceId, stranger.UserId))
        {
            (await _api.SendAsync(method, path, body, stranger.AccessToken)).AssertEnvelope(HttpStatusCode.NotFound, "4040");
        }
    }

    [Fact]
    public async Task Leaving_through_wacht_stays_possible_when_the_workspace_is_not_enterable()
    {
        var (_, member, workspaceId, _) = await WorkspaceWithMemberAsync();
        (await _api.AdminPatchAsync($"/admin/v1/workspaces/{workspaceId}", new { policyConfig = new { ipAllowlist = new[] { "203.0.113.0/24" } } })).AssertOk();
        var wacht = new WachtApi(app.CreateHttpClient());
        Assert.Equal("ip_not_allowed", Assert.Single(await wacht.WorkspaceMembershipsAsync(member))
            .GetProperty("eligibility_restriction").GetProperty("type").GetString());

        (await wacht.PostAsync($"/workspaces/{workspaceId}/leave", member.SessionCookie)).AssertOk();
        Assert.Empty(await wacht.WorkspaceMembershipsAsync(member));
    }
}
