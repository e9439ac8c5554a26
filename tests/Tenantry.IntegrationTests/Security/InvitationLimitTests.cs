using System.Net;
using Tenantry.Domain.Memberships;
using Tenantry.IntegrationTests.Infrastructure;

namespace Tenantry.IntegrationTests.Security;

/// <summary>Small invitation allowances: 3 emails per inviter, 5 invitation requests per client IP.</summary>
public sealed class InvitationLimitsApp : TenantryApp
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Tenantry:Auth:InvitationsPerAccount"] = "3";
        settings["Tenantry:Auth:InvitationsPerIp"] = "5";
    }
}

/// <summary>Invitations send email, so they are limited per inviter (across addresses) and per client IP (across inviters).</summary>
public sealed class InvitationLimitTests(InvitationLimitsApp app) : IClassFixture<InvitationLimitsApp>
{
    private readonly SystemApi _api = app.System;

    private Task<ApiResponse> InviteAsync(TestUser owner, string workspaceId, string roleId, string clientIp) =>
        _api.SendAsync(HttpMethod.Post, $"/web/v1/workspaces/{workspaceId}/invitations",
            new { email = SystemApi.NewEmail("invitee"), roleBizId = roleId }, owner.AccessToken, clientIp: clientIp);

    private async Task<(TestUser Owner, string WorkspaceId, string RoleId)> OwnerAsync()
    {
        var owner = await _api.SignUpAsync();
        var workspaceId = await _api.CreateWorkspaceAsync(owner);
        return (owner, workspaceId, await _api.RoleIdAsync(owner, workspaceId, WorkspaceRole.MemberName));
    }

    [Fact]
    public async Task An_inviter_may_send_only_so_many_emails_whatever_the_address_and_resends_count()
    {
        var (owner, workspaceId, roleId) = await OwnerAsync();
        var first = (await InviteAsync(owner, workspaceId, roleId, "198.18.9.1")).AssertOk().Text("invitationBizId");
        (await InviteAsync(owner, workspaceId, roleId, "198.18.9.2")).AssertOk();
        (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations/{first}/resend", token: owner.AccessToken)).AssertOk();

        var limited = await InviteAsync(owner, workspaceId, roleId, "198.18.9.3");
        limited.AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        Assert.True(int.Parse(limited.Header("Retry-After")!, global::System.Globalization.CultureInfo.InvariantCulture) > 0);
        (await _api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations/{first}/resend", token: owner.AccessToken))
            .AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        // Nothing was created by the refused request.
        Assert.Equal(2, (await _api.GetAsync($"/web/v1/workspaces/{workspaceId}/invitations", owner.AccessToken)).AssertOk().GetArrayLength());

        // Another inviter is not held back.
        var (other, otherWorkspace, otherRole) = await OwnerAsync();
        (await InviteAsync(other, otherWorkspace, otherRole, "198.18.9.4")).AssertOk();
    }

    [Fact]
    public async Task One_client_ip_may_send_only_so_many_invitations_whoever_signs_them()
    {
        const string ip = "192.0.2.91";
        for (var i = 0; i < 5; i++)
        {
            var (owner, workspaceId, roleId) = await OwnerAsync();
            (await InviteAsync(owner, workspaceId, roleId, ip)).AssertOk();
        }
        var (last, lastWorkspace, lastRole) = await OwnerAsync();

        (await InviteAsync(last, lastWorkspace, lastRole, ip)).AssertEnvelope(HttpStatusCode.TooManyRequests, "4290");
        (await InviteAsync(last, lastWorkspace, lastRole, "192.0.2.92")).AssertOk();
    }
}
