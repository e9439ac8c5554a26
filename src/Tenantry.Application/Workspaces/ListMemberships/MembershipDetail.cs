using Tenantry.Application.Institutions;
using Tenantry.Domain.Policies;

namespace Tenantry.Application.Workspaces.ListMemberships;

/// <summary>A workspace as one of its members sees it; <see cref="PrivateMetadata"/> is the empty object unless they may change the workspace.</summary>
public sealed record WorkspaceSummary(
    string Id,
    string Name,
    string? Slug,
    string? ImageUrl,
    string? Description,
    int MemberCount,
    string PublicMetadata,
    string PrivateMetadata,
    WorkspacePolicy? Policy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<SegmentSummary> Segments);

public sealed record RoleSummary(string Id, string Name, IReadOnlyList<string> Permissions, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// One of the caller's workspace memberships with everything around it: the workspace, its
/// institution, the role with its permissions (catalogue order), and whether this request may
/// enter it (<see cref="Eligibility"/>, the same decision as the workspace list's <c>enterable</c>).
/// </summary>
public sealed record MembershipDetail(
    string Id,
    string UserId,
    WorkspaceSummary Workspace,
    InstitutionSummary Institution,
    RoleSummary Role,
    EligibilityDecision Eligibility,
    DateTime CreatedAt,
    DateTime UpdatedAt);

