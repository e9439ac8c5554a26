using System.Text.Json;

namespace Tenantry.IntegrationTests.Infrastructure;

/// <summary>The collaboration endpoints (roles, invitations, members) as the tests call them.</summary>
public static class Collaboration
{
    public static async Task<JsonElement[]> RolesAsync(this SystemApi api, TestUser user, string workspaceId) =>
        (await api.GetAsync($"/web/v1/workspaces/{workspaceId}/roles", user.AccessToken)).AssertOk("1.0.0").EnumerateArray().ToArray();

    public static async Task<string> RoleIdAsync(this SystemApi api, TestUser user, string workspaceId, string roleName) =>
        (await api.RolesAsync(user, workspaceId)).Single(r => r.GetProperty("roleName").GetString() == roleName).GetProperty("roleBizId").GetString()!;

    public static Task<ApiResponse> CreateRoleAsync(this SystemApi api, TestUser user, string workspaceId, string roleName, params string[] permissions) =>
        api.PostAsync($"/web/v1/workspaces/{workspaceId}/roles", new { roleName, permissions }, user.AccessToken);

    public static Task<ApiResponse> InviteAsync(this SystemApi api, TestUser user, string workspaceId, string email, string roleId) =>
        api.PostAsync($"/web/v1/workspaces/{workspaceId}/invitations", new { email, roleBizId = roleId }, user.AccessToken);

    /// <summary>Invites <paramref name="email"/>; returns the invitation id.</summary>
    public static async Task<string> InvitedAsync(this SystemApi api, TestUser user, string workspaceId, string email, string roleId) =>
        (await api.InviteAsync(user, workspaceId, email, roleId)).AssertOk("1.0.0").GetProperty("invitationBizId").GetString()!;

    /// <summary>Accepts, with the invitation's token in the body when one is given (otherwise no body at all).</summary>
    public static Task<ApiResponse> AcceptAsync(this SystemApi api, TestUser user, string invitationId, string? invitationToken = null) =>
        api.PostAsync($"/web/v1/tenant/invitations/{invitationId}/accept", invitationToken is null ? null : new { token = invitationToken }, user.AccessToken);

    public static Task<ApiResponse> DeclineAsync(this SystemApi api, TestUser user, string invitationId, string? invitationToken = null) =>
        api.PostAsync($"/web/v1/tenant/invitations/{invitationId}/decline", invitationToken is null ? null : new { token = invitationToken }, user.AccessToken);

    public static async Task<JsonElement[]> MyInvitationsAsync(this SystemApi api, TestUser user) =>
        (await api.GetAsync("/web/v1/tenant/invitations/mine", user.AccessToken)).AssertOk("1.0.0").EnumerateArray().ToArray();

    /// <summary>
    /// Invites <paramref name="invitee"/> in the named role and has them accept by their address, which set-up
    /// first has an operator verify (accepting by address needs a verified one).
    /// </summary>
    public static async Task JoinAsync(this SystemApi api, TestUser owner, string workspaceId, TestUser invitee, string roleName = "Member")
    {
        await api.VerifyEmailAsync(invitee);
        var roleId = await api.RoleIdAsync(owner, workspaceId, roleName);
        var invitationId = await api.InvitedAsync(owner, workspaceId, invitee.Email, roleId);
        (await api.AcceptAsync(invitee, invitationId)).AssertOk("2.0.0");
    }

    public static async Task<JsonElement[]> MembersAsync(this SystemApi api, TestUser user, string workspaceId, string query = "") =>
        (await api.GetAsync($"/web/v1/workspaces/{workspaceId}/members{query}", user.AccessToken)).AssertOk("1.0.0").EnumerateArray().ToArray();

    public static Task<ApiResponse> ChangeRoleAsync(this SystemApi api, TestUser user, string workspaceId, string userId, string roleId) =>
        api.PostAsync($"/web/v1/workspaces/{workspaceId}/members/role/change", new { userBizId = userId, roleBizId = roleId }, user.AccessToken);

    public static Task<ApiResponse> RemoveMemberAsync(this SystemApi api, TestUser user, string workspaceId, string userId) =>
        api.SendAsync(HttpMethod.Delete, $"/web/v1/workspaces/{workspaceId}/members/{userId}", token: user.AccessToken);

    public static Task<ApiResponse> TransferAsync(this SystemApi api, TestUser user, string workspaceId, string userId) =>
        api.PostAsync($"/web/v1/workspaces/{workspaceId}/owner/transfer", new { userBizId = userId }, user.AccessToken);

    public static Task<ApiResponse> LeaveAsync(this SystemApi api, TestUser user, string workspaceId) =>
        api.PostAsync($"/web/v1/tenant/workspaces/{workspaceId}/leave", token: user.AccessToken);

    public static async Task<JsonElement[]> AuditAsync(this SystemApi api, TestUser user, string workspaceId, string query = "") =>
        (await api.GetAsync($"/web/v1/workspaces/{workspaceId}/audit-events{query}", user.AccessToken)).AssertOk("1.0.0").EnumerateArray().ToArray();

    public static JsonElement Item(this JsonElement[] items, string property, string value) =>
        items.Single(i => i.GetProperty(property).GetString() == value);

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static string Code(this JsonElement element, string property) => element.GetProperty(property).GetProperty("code").GetString()!;

    public static bool Flag(this JsonElement element, string property) => element.GetProperty(property).GetBoolean();

}
