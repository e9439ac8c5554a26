using Microsoft.EntityFrameworkCore;
using Tenantry.Application.Common;
using Tenantry.Application.Organizations;
using Tenantry.Application.Workspaces.Access;
using Tenantry.Data;
using Tenantry.Domain.Common;
using Tenantry.Domain.Memberships;
using Tenantry.Domain.Policies;
using Tenantry.Domain.Workspaces;

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
/// organization, the roles and their permissions (flat, catalogue order), and whether this
/// request may enter it (<see cref="Eligibility"/>, the same decision as SYSTEM <c>enterable</c>).
/// </summary>
public sealed record MembershipDetail(
    string Id,
    string UserId,
    WorkspaceSummary Workspace,
    OrganizationSummary Organization,
    IReadOnlyList<RoleSummary> Roles,
    IReadOnlyList<string> Permissions,
    EligibilityDecision Eligibility,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>
/// The caller's memberships in full (Wacht <c>/me/workspace-memberships</c>), optionally of one
/// organization. Four queries whatever the number of memberships: memberships with workspace
/// and role, workspace segments, the caller's organization memberships, organizations with
/// their segments. The SYSTEM list keeps its own lean query (<see cref="ListMine.ListMyWorkspacesHandler"/>);
/// both decide eligibility with <see cref="Domain.Policies.Eligibility.Decide"/>.
/// </summary>
public sealed class ListMyMembershipsHandler(TenantryDbContext db)
{
    public async Task<IReadOnlyList<MembershipDetail>> HandleAsync(Caller caller, string? organizationId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(organizationId) && !EntityId.LooksValid(organizationId, EntityId.Institution))
        {
            return [];
        }
        var filter = string.IsNullOrEmpty(organizationId) ? null : organizationId;
        var rows = await (
                from m in db.WorkspaceMemberships
                where m.UserId == caller.UserId && (filter == null || m.InstitutionId == filter)
                join w in db.Workspaces on m.WorkspaceId equals w.Id
                join r in db.WorkspaceRoles on m.RoleId equals r.Id
                orderby m.CreatedAt, m.Id
                select new { Membership = m, Workspace = w, Role = r })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }

        var workspaceIds = rows.Select(r => r.Workspace.Id).ToList();
        var workspaceSegments = (await (
                    from link in db.WorkspaceSegments
                    where workspaceIds.Contains(link.WorkspaceId)
                    join s in db.Segments on link.SegmentId equals s.Id
                    orderby s.Name
                    select new { link.WorkspaceId, Segment = new SegmentSummary(s.Id, s.Name, s.Type, s.CreatedAt, s.UpdatedAt) })
                .ToListAsync(cancellationToken))
            .ToLookup(s => s.WorkspaceId, s => s.Segment);

        var institutionIds = rows.Select(r => r.Membership.InstitutionId).Distinct().ToList();
        var manageable = (await db.OrganizationMemberships.AsNoTracking()
                .Where(o => o.UserId == caller.UserId && institutionIds.Contains(o.InstitutionId))
                .ToListAsync(cancellationToken))
            .Where(o => o.CanManage)
            .Select(o => o.InstitutionId)
            .ToHashSet(StringComparer.Ordinal);
        var organizations = await OrganizationSummaries.LoadAsync(db, institutionIds, manageable, cancellationToken);

        return rows.Select(row =>
        {
            var (m, w, r) = (row.Membership, row.Workspace, row.Role);
            var organization = organizations[m.InstitutionId];
            var standing = new WorkspaceStanding(w.Id, m.InstitutionId, m.Id, r.Id, r.IsOwner, m.Status, r.Permissions);
            var workspace = new WorkspaceSummary(
                w.Id, w.Name, w.Slug, w.ImageUrl, w.Description, w.MemberCount, w.PublicMetadata,
                standing.Grants(Domain.Memberships.Permissions.WorkspaceUpdate) ? w.PrivateMetadata : JsonText.EmptyObject,
                w.Policy, w.CreatedAt, w.UpdatedAt, [.. workspaceSegments[w.Id]]);
            var eligibility = Eligibility.Decide(new EligibilityFacts(
                w.Status, m.Status, w.Policy, organization.IpAllowlist, organization.EnforceMfa, caller.ClientIp, caller.MfaVerified));
            var permissions = Domain.Memberships.Permissions.Canonical(r.Permissions);
            return new MembershipDetail(
                m.Id, m.UserId, workspace, organization, [new RoleSummary(r.Id, r.Name, permissions, r.CreatedAt, r.UpdatedAt)],
                permissions, eligibility, m.CreatedAt, m.UpdatedAt);
        }).ToList();
    }
}
