using System.Text.Json;
using Tenantry.Application.Members;
using Tenantry.Application.Roles;
using Tenantry.Server.Dialects.WachtApi.Users;

namespace Tenantry.Server.Dialects.WachtApi.Workspaces;

/// <summary>Wacht's <c>PaginatedResponse</c>: the page's items and <c>{total, page, limit}</c>.</summary>
public sealed record WachtPage<T>(List<T> Data, WachtPageMeta Meta);

public sealed record WachtPageMeta(int Total, int Page, int Limit);

/// <summary>Wacht's <c>PublicUserData</c>: a member as other members see them (the display name as the first name).</summary>
public sealed record WachtPublicUser(
    string Id, string FirstName, string LastName, string Username, string Availability, bool HasProfilePicture, string ProfilePictureUrl,
    WachtEmailAddress PrimaryEmailAddress)
{
    public static WachtPublicUser From(MemberView m) => Of(m.UserId, m.DisplayName, m.Email, m.EmailVerifiedAt);

    public static WachtPublicUser Of(string userId, string displayName, string email, DateTime? emailVerifiedAt) =>
        new(userId, displayName, "", "", "available", false, "", WachtEmailAddress.From(userId, email, emailVerifiedAt));
}

/// <summary>
/// One item of <c>GET /workspaces/{id}/members</c>: the membership with its <c>user</c> (the SDK's member screens read
/// <c>user</c>). <c>roles</c> holds the membership's one role (see README, "one role per membership").
/// </summary>
public sealed record WachtWorkspaceMember(
    string Id, string WorkspaceId, string UserId, WachtPublicUser User, List<WachtRole> Roles, JsonElement PublicMetadata,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static WachtWorkspaceMember From(MemberView m, string workspaceId, IReadOnlyList<RoleView> roles) =>
        new(m.MembershipId, workspaceId, m.UserId, WachtPublicUser.From(m), [WachtRoles.From(roles.First(r => r.RoleId == m.RoleId))],
            WachtWorkspaceMembership.EmptyObject(), m.CreatedAt, m.UpdatedAt);
}

/// <summary>Workspace roles (<c>WorkspaceRole</c>) from the role use cases' view.</summary>
public static class WachtRoles
{
    public static WachtRole From(RoleView r) => new(r.RoleId, r.Name, r.Permissions, r.CreatedAt, r.UpdatedAt);
}

/// <summary><c>POST /workspaces</c>' data: the new workspace and the creator's membership of it.</summary>
public sealed record WachtCreatedWorkspace(WachtWorkspace Workspace, WachtWorkspaceMembership Membership);
