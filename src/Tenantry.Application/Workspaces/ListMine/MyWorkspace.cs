using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

namespace Tenantry.Application.Workspaces.ListMine;

/// <summary>One of the caller's workspaces, with their standing in it and whether they may enter it now.</summary>
public sealed record MyWorkspace(
    string UserId,
    string WorkspaceId,
    string WorkspaceName,
    WorkspaceKind Kind,
    string InstitutionId,
    string RoleId,
    string RoleName,
    JoinSource JoinSource,
    bool IsOwner,
    bool IsDefault,
    EligibilityDecision Eligibility,
    WorkspacePolicy? Policy,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>What the list stores per membership: everything but the per-request eligibility.</summary>
public sealed record MyWorkspaceRow(
    string WorkspaceId, string WorkspaceName, WorkspaceKind Kind, WorkspaceStatus WorkspaceStatus, WorkspacePolicy? Policy,
    string InstitutionId, bool InstitutionEnforcesMfa, List<string> InstitutionIpAllowlist,
    string RoleId, string RoleName, BuiltInRole? RoleBuiltIn, JoinSource JoinSource, MembershipStatus MembershipStatus,
    bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt);
