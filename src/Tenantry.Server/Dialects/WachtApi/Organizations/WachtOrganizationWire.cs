using Tenantry.Application.Invitations;
using Tenantry.Application.Institutions.ListMine;
using Tenantry.Application.Institutions.Members;
using Tenantry.Server.Dialects.WachtApi.Workspaces;
using Tenantry.Domain.Institutions;

namespace Tenantry.Server.Dialects.WachtApi.Organizations;

/// <summary>Something named by id and name only (the workspace and role of an invitation, the places of an accepted one).</summary>
public sealed record WachtNamed(string Id, string Name);

/// <summary>
/// Wacht's <c>OrganizationInvitation</c>. Every Tenantry invitation is to a workspace, in one of its roles; the organization
/// role it brings is Member. <c>inviter</c> is null: Tenantry does not show who invited to the workspace's managers.
/// </summary>
public sealed record WachtOrganizationInvitation(
    string Id, DateTime CreatedAt, DateTime UpdatedAt, string OrganizationId, string Email, WachtOrganizationRole InitialOrganizationRole,
    object? Inviter, WachtNamed Workspace, WachtNamed InitialWorkspaceRole, bool Expired)
{
    public static WachtOrganizationInvitation From(InvitationView i, InstitutionMembershipDetail organization, DateTime now) =>
        new(i.InvitationId, i.CreatedAt, i.UpdatedAt, organization.Institution.Id, i.Email,
            WachtOrganizationRole.From(InstitutionRole.Member, organization.Institution.Id, organization.Institution.CreatedAt), null,
            new WachtNamed(i.WorkspaceId, i.WorkspaceName), new WachtNamed(i.RoleId, i.RoleName), i.ExpiresAt <= now);
}

/// <summary><c>POST /organizations</c>' data: the new organization and the creator's membership of it.</summary>
public sealed record WachtCreatedOrganization(WachtOrganization Organization, WachtOrganizationMembership Membership);

/// <summary>The SDK's <c>AcceptInvitationResponse</c> after an accepted invitation.</summary>
public sealed record WachtAcceptedInvitation(WachtNamed Organization, WachtNamed Workspace, string SigninId, bool AlreadyMember);

/// <summary>
/// One item of <c>GET /organizations/{id}/members</c> (Wacht's <c>OrganizationMembership</c> without the organization, which
/// the caller already has): the member's <c>user</c> and their one organization role.
/// </summary>
public sealed record WachtOrganizationMember(
    string Id, string OrganizationId, WachtPublicUser User, List<WachtOrganizationRole> Roles, System.Text.Json.JsonElement PublicMetadata,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static WachtOrganizationMember From(InstitutionMemberView m, InstitutionMembershipDetail organization) =>
        new(m.MembershipId, organization.Institution.Id, WachtPublicUser.Of(m.UserId, m.DisplayName, m.Email, m.EmailVerifiedAt),
            [WachtOrganizationRole.From(m.Role, organization.Institution.Id, organization.Institution.CreatedAt)],
            WachtWorkspaceMembership.EmptyObject(), m.CreatedAt, m.UpdatedAt);
}
