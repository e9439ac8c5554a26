using Tenantry.Domain.Accounts;
using Tenantry.Domain.Audit;
using Tenantry.Domain.Institutions;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Operator;

/// <summary>A workspace as the operator sees it: everything, private metadata included.</summary>
public sealed record AdminWorkspaceView(
    Workspaces.WorkspaceDetail Detail,
    string? Slug,
    string? Description,
    string? ImageUrl,
    string PublicMetadata,
    string PrivateMetadata,
    WorkspacePolicy? Policy,
    int MemberCount,
    IReadOnlyList<string> Segments);

public sealed record AdminMembershipView(
    string MembershipId, string WorkspaceId, string UserId, string RoleId, JoinSource JoinSource, MembershipStatus Status,
    bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminMembershipView From(WorkspaceMembership m) =>
        new(m.Id, m.WorkspaceId, m.UserId, m.RoleId, m.JoinSource, m.Status, m.IsDefault, m.CreatedAt, m.UpdatedAt);
}

public sealed record AdminInstitutionView(
    string InstitutionId, string Name, string? Slug, string PublicMetadata, string PrivateMetadata, bool EnforceMfa,
    IReadOnlyList<string> IpAllowlist, string? AutoAssignedWorkspaceId, int MemberCount, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AdminInstitutionView From(Institution i) =>
        new(i.Id, i.Name, i.Slug, i.PublicMetadata, i.PrivateMetadata, i.EnforceMfa, i.IpAllowlist, i.AutoAssignedWorkspaceId,
            i.MemberCount, i.CreatedAt, i.UpdatedAt);
}

/// <summary>
/// An account as the operator sees it, never its password hash, MFA secret or tokens: whether its
/// address is verified, whether it has an authenticator, its live sessions and its memberships.
/// </summary>
public sealed record AdminUserView(
    string UserId, string Email, string DisplayName, UserStatus Status, bool EmailVerified, DateTime? EmailVerifiedAt, bool MfaEnabled,
    int ActiveSessions, int WorkspaceCount, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>One event of an account's trail.</summary>
public sealed record AccountEventView(
    string EventId, string Action, string Actor, string? ActorUserId, string? ClientIp, string Details, DateTime CreatedAt)
{
    public static AccountEventView From(AccountEvent e) => new(e.Id, e.Action, e.Actor, e.ActorUserId, e.ClientIp, e.Details, e.CreatedAt);
}
